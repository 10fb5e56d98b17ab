namespace Kaito.Grains.Ports;

/// <summary>One Kubernetes Event to write on a Workspace object.</summary>
/// <param name="WorkspaceKey">The grain key <c>namespace/name/uid</c>; a key without a UID names no object, and gets no Event.</param>
/// <param name="Reason">UpperCamelCase, machine-readable (e.g. <c>MachineRequested</c>).</param>
/// <param name="At">When the decision was recorded (the event's own time, not when the Event is written).</param>
public sealed record WorkspaceEventNotice(string WorkspaceKey, KubernetesEventType Type, string Reason, string Message, DateTimeOffset At);
