using System.Runtime.CompilerServices;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Kaito.Runtime.Generation.Engine;

/// <summary>
/// The native OgaModel* behind the managed <see cref="Model"/> (its <c>Handle</c> property is internal), so the engine
/// runs on the model the Generator path already loaded instead of loading the weights a second time.
/// </summary>
internal static class ModelHandleAccessor
{
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Handle")]
    public static extern nint GetHandle(Model model);
}
