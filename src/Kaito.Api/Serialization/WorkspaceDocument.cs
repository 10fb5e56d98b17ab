using Kaito.Api.V1Alpha1;
using Kaito.Api.Validation;

namespace Kaito.Api.Serialization;

/// <summary>One document of a manifest file: the Workspace when it reads cleanly, else the reasons it does not.</summary>
public sealed record WorkspaceDocument(int Index, Workspace? Workspace, IReadOnlyList<FieldError> Errors);
