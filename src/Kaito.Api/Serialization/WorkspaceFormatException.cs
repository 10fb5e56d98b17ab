using Kaito.Api.Validation;

namespace Kaito.Api.Serialization;

/// <summary>The text is not a well-formed Workspace: bad YAML or JSON, wrong types, unknown fields.</summary>
public sealed class WorkspaceFormatException(IReadOnlyList<FieldError> errors)
    : Exception(string.Join("; ", errors))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}
