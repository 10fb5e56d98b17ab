using System.Text.Json;

namespace Kaito.Runtime.OpenAi;

/// <summary>The fields /v1/chat/completions and /v1/completions share, read the same way by both.</summary>
public interface IGenerationFields
{
    string? Model { get; }

    double? Temperature { get; }

    double? TopP { get; }

    long? Seed { get; }

    JsonElement? Stop { get; }

    bool Stream { get; }

    StreamOptions? StreamOptions { get; }

    int? N { get; }

    /// <summary>vLLM's extension: sample from the k most likely tokens (-1 or 0: the whole vocabulary).</summary>
    int? TopK { get; }

    /// <summary>vLLM's extension: GenAI's repetition penalty (1: none).</summary>
    double? RepetitionPenalty { get; }

    /// <summary>vLLM's extension: no end of sequence before this many new tokens.</summary>
    int? MinTokens { get; }

    /// <summary>The body's fields the record has no property for (checked by <see cref="OpenAiFieldPolicy"/>).</summary>
    Dictionary<string, JsonElement>? Unmapped { get; }
}
