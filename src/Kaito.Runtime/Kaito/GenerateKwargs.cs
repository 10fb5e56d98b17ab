namespace Kaito.Runtime.Kaito;

/// <summary>Kaito's generate_kwargs with upstream's defaults; max_length and min_length count the prompt too.</summary>
public sealed record GenerateKwargs(
    int MaxLength = 200,
    int MinLength = 0,
    bool DoSample = true,
    double Temperature = 1.0,
    int TopK = 10,
    double TopP = 1.0,
    double RepetitionPenalty = 1.0);
