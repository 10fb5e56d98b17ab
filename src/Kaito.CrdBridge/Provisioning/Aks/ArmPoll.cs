using Kaito.Grains.Ports;

namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>One poll of an ARM long-running operation: its state, the error when it failed, and when to ask again.</summary>
public sealed record ArmPoll(NodeOperationState State, string? Code, string? Message, TimeSpan? RetryAfter);
