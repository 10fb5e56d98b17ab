namespace Kaito.Api.Validation;

/// <summary>Accumulates errors, warnings and decisions while the rules run.</summary>
internal sealed class ValidationCollector
{
    public List<FieldError> Errors { get; } = [];

    public List<string> Warnings { get; } = [];

    public InstanceTypeDecision? InstanceType { get; set; }

    public void Error(string field, string message) => Errors.Add(new FieldError(field, message));

    public void Warn(string message) => Warnings.Add(message);

    public ValidationResult ToResult() => new(Errors, Warnings, InstanceType);
}
