namespace Kaito.NodeSimulator;

/// <summary>A bring-your-own GPU node: registered Ready without any NodeClaim.</summary>
public sealed record ByoNode(string Name, string InstanceType, IReadOnlyDictionary<string, string> Labels);
