using System.Diagnostics;
using System.Text.Json;
using Kaito.Runtime.Adapters;
using Kaito.Runtime.Generation;
using Kaito.Runtime.Serving;

namespace Kaito.Runtime.Kaito;

/// <summary>Upstream Kaito's inference server API: GET /, GET /healthz, POST /chat.</summary>
public static class KaitoEndpoints
{
    public const string PromptRequired = "Text generation parameter prompt required";

    public static IEndpointRouteBuilder MapKaitoEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Json(new Dictionary<string, string> { ["message"] = "Server is running" }));
        endpoints.MapGet("/healthz", Health);

        // Later upstream runtimes probe /health.
        endpoints.MapGet("/health", Health);
        endpoints.MapPost("/chat", ChatAsync);
        return endpoints;
    }

    // Draining answers 503 so the readiness probe fails and the pod leaves the Service's endpoints.
    private static IResult Health(ModelHost host) => host.IsServing
        ? Results.Json(new Dictionary<string, string> { ["status"] = "Healthy" })
        : host.IsReady
            ? Results.Json(new Dictionary<string, string> { ["detail"] = "Server is shutting down" }, statusCode: 503)
            : Results.Json(new Dictionary<string, string> { ["detail"] = "Model is not loaded" }, statusCode: 500);

    private static async Task ChatAsync(HttpContext context, GenerationRunner runner, AdapterCatalog adapters)
    {
        var receivedAt = Stopwatch.GetTimestamp();
        var (request, root) = await JsonBody.ReadWithRootAsync(context.Request, RuntimeJson.Context.KaitoChatRequest);
        if (string.IsNullOrEmpty(request.Prompt))
        {
            throw new RuntimeRequestException(400, PromptRequired);
        }

        if (JsonBody.Unmapped(root, RuntimeJson.Context.KaitoChatRequest)?.FirstOrDefault(f => f.Value.ValueKind != JsonValueKind.Null) is { Key: not null } field)
        {
            throw new RuntimeRequestException(400, $"Unsupported field '{field.Key}': /chat takes prompt, return_full_text, clean_up_tokenization_spaces and generate_kwargs.");
        }

        var kwargs = request.GenerateKwargs is { } given && root.TryGetProperty("generate_kwargs", out var rawKwargs)
            ? given with { Unmapped = JsonBody.Unmapped(rawKwargs, RuntimeJson.Context.GenerateKwargs) }
            : new GenerateKwargs();
        var model = runner.Model;
        GenerateKwargsPolicy.Check(kwargs, model.EosTokenIds);
        var prompt = model.Encode(request.Prompt);
        var maxNew = runner.FitToContext(prompt.Length, kwargs.MaxNewTokens ?? Math.Max(0, kwargs.MaxLength - prompt.Length));
        var text = string.Empty;
        if (maxNew > 0)
        {
            var sampling = new SamplingSettings(kwargs.DoSample, kwargs.Temperature, kwargs.TopK, kwargs.TopP, kwargs.RepetitionPenalty, kwargs.MinLength);
            var generation = runner.Request(prompt, maxNew, sampling, [], adapters.ChatAdapter, receivedAt);
            await using var active = await runner.StartAsync(generation, context.RequestAborted);
            (text, _) = await active.ReadToEndAsync(context.RequestAborted);
        }

        if (request.CleanUpTokenizationSpaces)
        {
            text = TokenizationSpaces.CleanUp(text);
        }

        var result = new KaitoChatResult(request.ReturnFullText ? request.Prompt + text : text);
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, result, RuntimeJson.Context.KaitoChatResult, context.RequestAborted);
    }
}
