using Kaito.Api.V1Alpha1;

namespace Kaito.Silo.ServiceBus;

/// <summary>One message of the intake queue, read: apply this Workspace, or delete namespace/name.</summary>
/// <param name="RequestId">The message id.</param>
/// <param name="Sender">The <c>kaito-requested-by</c> application property, else "unknown".</param>
public sealed record WorkspaceRequest(
    WorkspaceRequestOperation Operation, string Namespace, string Name, Workspace? Workspace, string RequestId, string Sender);
