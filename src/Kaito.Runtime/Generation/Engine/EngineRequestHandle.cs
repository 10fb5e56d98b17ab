using Microsoft.Win32.SafeHandles;

namespace Kaito.Runtime.Generation.Engine;

/// <summary>An OgaRequest; GenAI allows releasing it from any thread (the engine reclaims it at its next step).</summary>
internal sealed class EngineRequestHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public EngineRequestHandle()
        : base(ownsHandle: true)
    {
    }

    public EngineRequestHandle(nint handle)
        : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle()
    {
        OgaEngineApi.OgaDestroyRequest(handle);
        return true;
    }
}
