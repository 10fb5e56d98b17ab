using System.Diagnostics;
using Kaito.Runtime.Metrics;
using Kaito.Runtime.Serving;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Kaito.Runtime.Generation;

/// <summary>
/// The token loop over GenAI's Generator, written by hand rather than through its IChatClient (which repeats the last
/// piece at EOS in 0.18): append the prompt, then GenerateNextToken / GetNextTokens until EOS, max length, a stop
/// sequence or cancellation. EOS is never emitted (GenAI does not append it to the sequence either).
/// </summary>
public sealed class GenerationLoop(LoadedModel model, RuntimeMetrics metrics)
{
    /// <summary>Runs one generation on the calling thread, handing each decoded piece of text to <paramref name="onText"/>.</summary>
    public GenerationOutcome Run(GenerationRequest request, Action<string> onText, CancellationToken cancellationToken) =>
        Stream(request, chunk => onText(chunk.Text), cancellationToken);

    /// <summary>
    /// Runs one generation on the calling thread, handing each chunk to <paramref name="onChunk"/>: text as it is
    /// decoded and, when the request asks for logprobs, one chunk per token with its log probability.
    /// </summary>
    public GenerationOutcome Stream(GenerationRequest request, Action<GenerationChunk> onChunk, CancellationToken cancellationToken)
    {
        var prompt = request.PromptTokens;
        metrics.AddPromptTokens(prompt.Length);
        using var parameters = new GeneratorParams(model.Model);
        Configure(parameters, request, prompt.Length + request.MaxNewTokens);
        using var generator = Create(parameters, request.Guidance);
        if (request.Adapter is { } adapter)
        {
            generator.SetActiveAdapter(model.Adapters, adapter);
        }

        generator.AppendTokens(prompt);
        using var decoder = model.Tokenizer.CreateStream();
        var stops = new StopSequenceMatcher(request.Stop);
        var eos = model.EosTokenIds;
        var generated = 0;
        var reason = FinishReason.Length;
        var last = request.ReceivedAt;
        while (generated < request.MaxNewTokens && !generator.IsDone())
        {
            cancellationToken.ThrowIfCancellationRequested();
            generator.GenerateNextToken();
            var token = generator.GetNextTokens()[0];
            var now = Stopwatch.GetTimestamp();
            (generated == 0 ? metrics.TimeToFirstToken : metrics.InterTokenLatency).Observe(Stopwatch.GetElapsedTime(last, now).TotalSeconds);
            last = now;
            if (Array.IndexOf(eos, token) >= 0)
            {
                reason = FinishReason.Stop;
                break;
            }

            generated++;
            metrics.AddGeneratedTokens(1);
            var logprob = request.Logprobs is { } top ? LogitsReader.Read(generator, model.Tokenizer, token, top) : null;
            var text = stops.Push(decoder.Decode(token));
            if (text.Length > 0 || logprob is not null)
            {
                onChunk(new GenerationChunk(text, null, logprob));
            }

            if (stops.Stopped)
            {
                reason = FinishReason.Stop;
                break;
            }
        }

        var rest = stops.Flush();
        if (rest.Length > 0)
        {
            onChunk(new GenerationChunk(rest, null));
        }

        return new GenerationOutcome(prompt.Length, generated, reason);
    }

    /// <summary>
    /// The Generator, with the guidance grammar compiled first: a grammar GenAI (llguidance) cannot compile is the
    /// client's error, a 400 naming the reason, not a failed generation.
    /// </summary>
    private Generator Create(GeneratorParams parameters, TokenGuidance? guidance)
    {
        if (guidance is null)
        {
            return new Generator(model.Model, parameters);
        }

        try
        {
            parameters.SetGuidance(guidance.Type, guidance.Data, false);
            return new Generator(model.Model, parameters);
        }
        catch (OnnxRuntimeGenAIException error)
        {
            throw new RuntimeRequestException(400, $"The {guidance.Type} cannot be used for guided generation: {error.Message}");
        }
    }

    private static void Configure(GeneratorParams parameters, GenerationRequest request, int maxLength)
    {
        var sampling = request.Sampling;
        parameters.SetSearchOption("max_length", maxLength);
        parameters.SetSearchOption("do_sample", sampling.DoSample);
        if (sampling.MinLength > 0)
        {
            parameters.SetSearchOption("min_length", sampling.MinLength);
        }

        if (sampling.RepetitionPenalty != 1.0)
        {
            parameters.SetSearchOption("repetition_penalty", sampling.RepetitionPenalty);
        }

        if (sampling.DoSample)
        {
            parameters.SetSearchOption("temperature", sampling.Temperature);
            parameters.SetSearchOption("top_k", sampling.TopK);
            parameters.SetSearchOption("top_p", sampling.TopP);
            if (sampling.Seed is { } seed)
            {
                parameters.SetSearchOption("random_seed", seed);
            }
        }
    }
}
