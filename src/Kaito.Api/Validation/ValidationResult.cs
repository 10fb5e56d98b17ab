namespace Kaito.Api.Validation;

/// <summary>The outcome of validating a Workspace: every error at once, warnings, and the decisions taken for the user.</summary>
public sealed record ValidationResult(
    IReadOnlyList<FieldError> Errors,
    IReadOnlyList<string> Warnings,
    InstanceTypeDecision? InstanceType)
{
    public bool IsValid => Errors.Count == 0;
}
