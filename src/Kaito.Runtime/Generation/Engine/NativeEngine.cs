namespace Kaito.Runtime.Generation.Engine;

/// <summary>
/// GenAI's Engine over one loaded model: requests in, token events out. Create, use and dispose it on one thread
/// only (GenAI refuses engine calls from any other thread); <see cref="BatchingEngine"/> owns that thread.
/// </summary>
internal sealed class NativeEngine : IDisposable
{
    private const int EventCapacity = 256;
    private readonly EngineHandle _engine;
    private readonly EngineEventBufferHandle _events;

    public NativeEngine(nint model)
    {
        OgaResult.Check(OgaEngineApi.OgaCreateEngine(model, out var engine), "OgaCreateEngine");
        _engine = new EngineHandle(engine);
        OgaResult.Check(OgaEngineApi.OgaCreateEngineEventBuffer(_engine, EventCapacity, out var buffer), "OgaCreateEngineEventBuffer");
        _events = new EngineEventBufferHandle(buffer);
        OgaResult.Check(OgaEngineApi.OgaEngineGetCapabilities(_engine, out var capabilities), "OgaEngineGetCapabilities");
        try
        {
            ConfiguredMaxBatchSize = (int)OgaEngineApi.OgaEngineCapabilitiesGetConfiguredMaxBatchSize(capabilities);
        }
        finally
        {
            OgaEngineApi.OgaDestroyEngineCapabilities(capabilities);
        }
    }

    /// <summary>The batch size the engine was configured with (4 for a static engine without a setting).</summary>
    public int ConfiguredMaxBatchSize { get; }

    public bool HasPendingRequests
    {
        get
        {
            OgaResult.Check(OgaEngineApi.OgaEngineHasPendingRequests(_engine, out var pending), "OgaEngineHasPendingRequests");
            return pending;
        }
    }

    /// <summary>Creates a request and begins its one turn with the prompt; the request is queued in the engine.</summary>
    public unsafe EngineRequestHandle Begin(int[] prompt, int maxNewTokens, SamplingSettings sampling)
    {
        OgaResult.Check(OgaEngineApi.OgaEngineCreateRequest(_engine, 0, out var created), "OgaEngineCreateRequest");
        var request = new EngineRequestHandle(created);
        try
        {
            OgaResult.Check(OgaEngineApi.OgaRequestCreateTurnOptions(request, out var createdOptions), "OgaRequestCreateTurnOptions");
            using var options = new TurnOptionsHandle(createdOptions);
            OgaResult.Check(OgaEngineApi.OgaTurnOptionsSetMaxGeneratedTokens(options, (ulong)maxNewTokens), "OgaTurnOptionsSetMaxGeneratedTokens");
            OgaResult.Check(OgaEngineApi.OgaTurnOptionsSetDoSample(options, sampling.DoSample), "OgaTurnOptionsSetDoSample");
            if (sampling.DoSample)
            {
                OgaResult.Check(OgaEngineApi.OgaTurnOptionsSetTemperature(options, (float)sampling.Temperature), "OgaTurnOptionsSetTemperature");
                OgaResult.Check(OgaEngineApi.OgaTurnOptionsSetTopK(options, sampling.TopK), "OgaTurnOptionsSetTopK");
                OgaResult.Check(OgaEngineApi.OgaTurnOptionsSetTopP(options, (float)sampling.TopP), "OgaTurnOptionsSetTopP");
            }

            fixed (int* ids = prompt)
            {
                OgaResult.Check(OgaEngineApi.OgaRequestBeginTurn(request, options, ids, (ulong)prompt.Length, out _), "OgaRequestBeginTurn");
            }

            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    /// <summary>Removes a request from scheduling and drops its undelivered events; then releases the handle.</summary>
    public static void Close(EngineRequestHandle request)
    {
        try
        {
            OgaResult.Check(OgaEngineApi.OgaRequestClose(request), "OgaRequestClose");
        }
        finally
        {
            request.Dispose();
        }
    }

    /// <summary>Runs one engine step (one model run, or the delivery of held-back events) and appends its events.</summary>
    public void Run(List<EngineEvent> events)
    {
        OgaResult.Check(OgaEngineApi.OgaEngineRun(_engine, _events), "OgaEngineRun");
        var count = (int)OgaEngineApi.OgaEngineEventBufferGetCount(_events);
        for (var i = 0; i < count; i++)
        {
            var view = OgaEngineApi.OgaEngineEventBufferGet(_events, (nuint)i);
            OgaResult.Check(OgaEngineApi.OgaEngineEventGetFlags(view, out var flags), "OgaEngineEventGetFlags");
            OgaResult.Check(OgaEngineApi.OgaEngineEventGetRequest(view, out var request), "OgaEngineEventGetRequest");
            var token = 0;
            if ((flags & EngineEvent.TokenFlag) != 0)
            {
                OgaResult.Check(OgaEngineApi.OgaEngineEventGetToken(view, out token), "OgaEngineEventGetToken");
            }

            OgaResult.Check(OgaEngineApi.OgaEngineEventGetFinishReason(view, out var reason), "OgaEngineEventGetFinishReason");
            OgaResult.Check(OgaEngineApi.OgaEngineEventGetErrorCode(view, out var code), "OgaEngineEventGetErrorCode");
            events.Add(new EngineEvent(request, flags, token, reason, code));
        }
    }

    public void Dispose()
    {
        _events.Dispose();
        _engine.Dispose();
    }
}
