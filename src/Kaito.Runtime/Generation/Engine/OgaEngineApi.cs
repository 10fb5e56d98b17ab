using System.Runtime.InteropServices;

namespace Kaito.Runtime.Generation.Engine;

/// <summary>
/// The part of ONNX Runtime GenAI's C API (ort_genai_c.h, 0.18.0) that the managed package does not wrap: the Engine,
/// its event buffer, requests and turn options. Every call except <see cref="OgaDestroyRequest"/> must come from the
/// thread that created the engine (GenAI checks it).
/// </summary>
internal static partial class OgaEngineApi
{
    private const string Library = "onnxruntime-genai";

    [LibraryImport(Library)]
    internal static partial nint OgaResultGetError(nint result);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyResult(nint result);

    [LibraryImport(Library)]
    internal static partial nint OgaCreateEngine(nint model, out nint engine);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyEngine(nint engine);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineGetCapabilities(EngineHandle engine, out nint capabilities);

    [LibraryImport(Library)]
    internal static partial nuint OgaEngineCapabilitiesGetConfiguredMaxBatchSize(nint capabilities);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyEngineCapabilities(nint capabilities);

    [LibraryImport(Library)]
    internal static partial nint OgaCreateEngineEventBuffer(EngineHandle engine, nuint capacity, out nint buffer);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyEngineEventBuffer(nint buffer);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineRun(EngineHandle engine, EngineEventBufferHandle buffer);

    [LibraryImport(Library)]
    internal static partial nuint OgaEngineEventBufferGetCount(EngineEventBufferHandle buffer);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineEventBufferGet(EngineEventBufferHandle buffer, nuint index);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineEventGetFlags(nint engineEvent, out uint flags);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineEventGetRequest(nint engineEvent, out nint request);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineEventGetToken(nint engineEvent, out int token);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineEventGetFinishReason(nint engineEvent, out uint reason);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineEventGetErrorCode(nint engineEvent, out uint code);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineHasPendingRequests(EngineHandle engine, [MarshalAs(UnmanagedType.U1)] out bool pending);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineCreateRequest(EngineHandle engine, nint options, out nint request);

    [LibraryImport(Library)]
    internal static partial nint OgaRequestClose(EngineRequestHandle request);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyRequest(nint request);

    [LibraryImport(Library)]
    internal static partial nint OgaRequestCreateTurnOptions(EngineRequestHandle request, out nint options);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyTurnOptions(nint options);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnOptionsSetMaxGeneratedTokens(TurnOptionsHandle options, ulong maxGeneratedTokens);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnOptionsSetDoSample(TurnOptionsHandle options, [MarshalAs(UnmanagedType.U1)] bool doSample);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnOptionsSetTemperature(TurnOptionsHandle options, float temperature);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnOptionsSetTopP(TurnOptionsHandle options, float topP);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnOptionsSetTopK(TurnOptionsHandle options, int topK);

    [LibraryImport(Library)]
    internal static unsafe partial nint OgaRequestBeginTurn(EngineRequestHandle request, TurnOptionsHandle options, int* inputIds, ulong inputIdsCount, out ulong turnId);
}
