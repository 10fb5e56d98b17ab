namespace Kaito.Runtime.Generation;

/// <summary>GenAI search options of one request; DoSample false is greedy search; TopK 0 samples from the whole vocabulary.</summary>
public sealed record SamplingSettings(
    bool DoSample = false,
    double Temperature = 1.0,
    int TopK = 50,
    double TopP = 1.0,
    double RepetitionPenalty = 1.0,
    int MinLength = 0,
    long? Seed = null)
{
    public static SamplingSettings Greedy { get; } = new();
}
