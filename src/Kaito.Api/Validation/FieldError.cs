namespace Kaito.Api.Validation;

/// <summary>One problem with one field, e.g. <c>inference.preset.name: Unsupported inference preset name "phi-9"</c>.</summary>
public sealed record FieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
