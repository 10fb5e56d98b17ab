using Microsoft.Win32.SafeHandles;

namespace Kaito.Runtime.Generation.Engine;

/// <summary>An OgaEngineEventBuffer: reusable storage for the events of one OgaEngineRun.</summary>
internal sealed class EngineEventBufferHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public EngineEventBufferHandle()
        : base(ownsHandle: true)
    {
    }

    public EngineEventBufferHandle(nint handle)
        : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle()
    {
        OgaEngineApi.OgaDestroyEngineEventBuffer(handle);
        return true;
    }
}
