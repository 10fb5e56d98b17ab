using System.Diagnostics;
using Kaito.Runtime.Adapters;
using Kaito.Runtime.Generation;
using Kaito.Runtime.Serving;
using Kaito.Runtime.Templates;
using Microsoft.Extensions.Options;

namespace Kaito.Runtime.OpenAi;

/// <summary>
/// The OpenAI-compatible API: /v1/chat/completions, /v1/completions (both can stream, both take n), /v1/models and
/// /v1/models/{id}. Every field is honoured or refused with a 400 naming it (<see cref="OpenAiFieldPolicy"/>).
/// </summary>
public static class OpenAiEndpoints
{
    /// <summary>OpenAI's default max_tokens for /v1/completions.</summary>
    public const int CompletionsDefaultMaxTokens = 16;

    public static IEndpointRouteBuilder MapOpenAiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/chat/completions", ChatCompletionsAsync);
        endpoints.MapPost("/v1/completions", CompletionsAsync);
        endpoints.MapGet("/v1/models", (GenerationRunner runner, AdapterCatalog adapters, TimeProvider clock) =>
            Results.Json(new ModelList("list", Models(runner, adapters, clock)), RuntimeJson.Context.ModelList));
        endpoints.MapGet("/v1/models/{**id}", (string id, GenerationRunner runner, AdapterCatalog adapters, TimeProvider clock) =>
            Models(runner, adapters, clock).FirstOrDefault(m => m.Id == id) is { } card
                ? Results.Json(card, RuntimeJson.Context.ModelCard)
                : throw new RuntimeRequestException(404, $"The model '{id}' does not exist; GET /v1/models lists the models served."));
        return endpoints;
    }

    private static List<ModelCard> Models(GenerationRunner runner, AdapterCatalog adapters, TimeProvider clock)
    {
        var created = clock.GetUtcNow().ToUnixTimeSeconds();
        var models = new List<ModelCard> { new(runner.ModelId, "model", created, "kaito") };
        models.AddRange(adapters.Names.Select(name => new ModelCard(name, "model", created, "kaito")));
        return models;
    }

    private static async Task ChatCompletionsAsync(HttpContext context, GenerationRunner runner, AdapterCatalog adapters, ChatPrompt chatPrompt, TimeProvider clock, IOptions<RuntimeOptions> options)
    {
        var receivedAt = Stopwatch.GetTimestamp();
        var request = await OpenAiBodies.ReadChatAsync(context.Request);
        OpenAiFieldPolicy.Check(request, chat: true);
        var adapter = OpenAiRequestMapping.Adapter(request.Model, runner.ModelId, adapters);
        var messages = OpenAiRequestMapping.MessagesJson(request.Messages);
        var maxTokens = OpenAiRequestMapping.MaxTokens(request.MaxCompletionTokens ?? request.MaxTokens, options.Value.DefaultMaxTokens);
        var logprobs = OpenAiRequestMapping.ChatLogprobs(request.Logprobs, request.TopLogprobs);
        var guidance = OpenAiRequestMapping.Guidance(request.ResponseFormat);
        var prompt = chatPrompt.Encode(runner.Model, messages);
        var responder = new OpenAiResponder(context, "chatcmpl-" + Guid.NewGuid().ToString("N"), request.Model ?? runner.ModelId, chat: true, clock);
        await GenerateAsync(context, runner, request, new GenerationRequest(prompt, maxTokens, SamplingSettings.Greedy, [], adapter, receivedAt, logprobs, guidance), responder);
    }

    private static async Task CompletionsAsync(HttpContext context, GenerationRunner runner, AdapterCatalog adapters, TimeProvider clock)
    {
        var receivedAt = Stopwatch.GetTimestamp();
        var request = await OpenAiBodies.ReadCompletionAsync(context.Request);
        OpenAiFieldPolicy.Check(request, chat: false);
        var adapter = OpenAiRequestMapping.Adapter(request.Model, runner.ModelId, adapters);
        var text = OpenAiRequestMapping.Prompt(request.Prompt);
        var maxTokens = OpenAiRequestMapping.MaxTokens(request.MaxTokens, CompletionsDefaultMaxTokens);
        var logprobs = OpenAiRequestMapping.CompletionLogprobs(request.Logprobs);
        var responder = new OpenAiResponder(context, "cmpl-" + Guid.NewGuid().ToString("N"), request.Model ?? runner.ModelId, chat: false, clock);
        await GenerateAsync(context, runner, request, new GenerationRequest(runner.Model.Encode(text), maxTokens, SamplingSettings.Greedy, [], adapter, receivedAt, logprobs), responder);
    }

    /// <summary>
    /// What both endpoints do once they have the prompt: sampling and stop from the shared fields, one generation per
    /// choice (choice i seeded with seed + i, so seeded choices differ and repeat), then the answer.
    /// </summary>
    private static async Task GenerateAsync(HttpContext context, GenerationRunner runner, IGenerationFields request, GenerationRequest draft, OpenAiResponder responder)
    {
        var choices = OpenAiRequestMapping.Choices(request.N);
        var prompt = draft.PromptTokens;
        var sampling = OpenAiRequestMapping.Sampling(request, prompt.Length);
        var stop = OpenAiRequestMapping.Stop(request.Stop);
        var first = runner.Request(prompt, runner.FitToContext(prompt.Length, draft.MaxNewTokens), sampling, stop, draft.Adapter, draft.ReceivedAt)
            with { Logprobs = draft.Logprobs, Guidance = draft.Guidance };
        var requests = Enumerable.Range(0, choices)
            .Select(i => i == 0 || sampling.Seed is not { } seed ? first : first with { Sampling = sampling with { Seed = seed + i } })
            .ToList();
        var includeUsage = request.StreamOptions?.IncludeUsage == true;
        if (!request.Stream)
        {
            await responder.WriteAsync(runner, requests);
        }
        else if (choices == 1)
        {
            await using var active = await runner.StartAsync(first, context.RequestAborted);
            await responder.StreamAsync(active, includeUsage);
        }
        else
        {
            await responder.StreamManyAsync(runner, requests, includeUsage);
        }
    }
}
