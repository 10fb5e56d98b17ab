using Microsoft.Win32.SafeHandles;

namespace Kaito.Runtime.Generation.Engine;

/// <summary>An OgaEngine; destroyed on the owner thread (it closes every request bound to it).</summary>
internal sealed class EngineHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public EngineHandle()
        : base(ownsHandle: true)
    {
    }

    public EngineHandle(nint handle)
        : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle()
    {
        OgaEngineApi.OgaDestroyEngine(handle);
        return true;
    }
}
