using System.Diagnostics;
using Kaito.Runtime.Metrics;
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
    public GenerationOutcome Run(GenerationRequest request, Action<string> onText, CancellationToken cancellationToken)
    {
        var prompt = request.PromptTokens;
        metrics.AddPromptTokens(prompt.Length);
        using var parameters = new GeneratorParams(model.Model);
        Configure(parameters, request, prompt.Length + request.MaxNewTokens);
        using var generator = new Generator(model.Model, parameters);
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
            var text = stops.Push(decoder.Decode(token));
            if (text.Length > 0)
            {
                onText(text);
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
            onText(rest);
        }

        return new GenerationOutcome(prompt.Length, generated, reason);
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
