using Microsoft.Win32.SafeHandles;

namespace Kaito.Runtime.Generation.Engine;

/// <summary>An OgaTurnOptions: the generation settings of one turn, copied by OgaRequestBeginTurn.</summary>
internal sealed class TurnOptionsHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public TurnOptionsHandle()
        : base(ownsHandle: true)
    {
    }

    public TurnOptionsHandle(nint handle)
        : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle()
    {
        OgaEngineApi.OgaDestroyTurnOptions(handle);
        return true;
    }
}
