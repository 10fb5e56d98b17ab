using System.Runtime.InteropServices;

namespace Kaito.Runtime.Generation.Engine;

/// <summary>GenAI's C calls return an OgaResult* on failure (null on success); this turns one into an exception.</summary>
internal static class OgaResult
{
    public static void Check(nint result, string call)
    {
        if (result == 0)
        {
            return;
        }

        try
        {
            var message = Marshal.PtrToStringUTF8(OgaEngineApi.OgaResultGetError(result)) ?? "unknown error";
            throw new EngineException($"{call}: {message}");
        }
        finally
        {
            OgaEngineApi.OgaDestroyResult(result);
        }
    }
}
