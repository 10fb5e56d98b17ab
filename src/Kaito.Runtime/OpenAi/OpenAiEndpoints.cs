using System.Diagnostics;
using Kaito.Runtime.Adapters;
using Kaito.Runtime.Serving;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime.OpenAi;

/// <summary>The OpenAI-compatible API: /v1/chat/completions, /v1/completions (both can stream), /v1/models.</summary>
public static class OpenAiEndpoints
{
    /// <summary>OpenAI's default max_tokens for /v1/completions.</summary>
    public const int CompletionsDefaultMaxTokens = 16;

    public static IEndpointRouteBuilder MapOpenAiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/chat/completions", ChatCompletionsAsync);
        endpoints.MapPost("/v1/completions", CompletionsAsync);
        endpoints.MapGet("/v1/models", (GenerationRunner runner, AdapterCatalog adapters, TimeProvider clock) =>
        {
            var created = clock.GetUtcNow().ToUnixTimeSeconds();
            var models = new List<ModelCard> { new(runner.ModelId, "model", created, "kaito") };
            models.AddRange(adapters.Names.Select(name => new ModelCard(name, "model", created, "kaito")));
            return Results.Json(new ModelList("list", models), RuntimeJson.Context.ModelList);
        });
        return endpoints;
    }

    private static async Task ChatCompletionsAsync(HttpContext context, GenerationRunner runner, AdapterCatalog adapters, TimeProvider clock, IOptions<RuntimeOptions> options)
    {
        var receivedAt = Stopwatch.GetTimestamp();
        var request = await JsonBody.ReadAsync(context.Request, RuntimeJson.Context.ChatCompletionRequest);
        var adapter = OpenAiRequestMapping.Adapter(request.Model, runner.ModelId, adapters);
        var messages = OpenAiRequestMapping.MessagesJson(request.Messages);
        var maxTokens = OpenAiRequestMapping.MaxTokens(request.MaxCompletionTokens ?? request.MaxTokens, options.Value.DefaultMaxTokens);
        var model = runner.Model;
        var responder = new OpenAiResponder(context, "chatcmpl-" + Guid.NewGuid().ToString("N"), request.Model ?? runner.ModelId, chat: true, clock);
        await GenerateAsync(context, runner, request, adapter, model.Encode(model.ApplyChatTemplate(messages)), maxTokens, responder, receivedAt);
    }

    private static async Task CompletionsAsync(HttpContext context, GenerationRunner runner, AdapterCatalog adapters, TimeProvider clock)
    {
        var receivedAt = Stopwatch.GetTimestamp();
        var request = await JsonBody.ReadAsync(context.Request, RuntimeJson.Context.CompletionRequest);
        var adapter = OpenAiRequestMapping.Adapter(request.Model, runner.ModelId, adapters);
        var text = OpenAiRequestMapping.Prompt(request.Prompt);
        var maxTokens = OpenAiRequestMapping.MaxTokens(request.MaxTokens, CompletionsDefaultMaxTokens);
        var responder = new OpenAiResponder(context, "cmpl-" + Guid.NewGuid().ToString("N"), request.Model ?? runner.ModelId, chat: false, clock);
        await GenerateAsync(context, runner, request, adapter, runner.Model.Encode(text), maxTokens, responder, receivedAt);
    }

    /// <summary>What both endpoints do once they have the prompt: sampling and stop from the shared fields, then answer.</summary>
    private static async Task GenerateAsync(HttpContext context, GenerationRunner runner, IGenerationFields request, string? adapter, int[] prompt, int maxTokens, OpenAiResponder responder, long receivedAt)
    {
        var sampling = OpenAiRequestMapping.Sampling(request.Temperature, request.TopP, request.Seed);
        var stop = OpenAiRequestMapping.Stop(request.Stop);
        var generation = runner.Request(prompt, runner.FitToContext(prompt.Length, maxTokens), sampling, stop, adapter, receivedAt);
        await using var active = await runner.StartAsync(generation, context.RequestAborted);
        await (request.Stream ? responder.StreamAsync(active, request.StreamOptions?.IncludeUsage == true) : responder.WriteAsync(active));
    }
}
