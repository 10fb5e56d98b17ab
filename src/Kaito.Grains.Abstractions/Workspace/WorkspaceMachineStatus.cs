namespace Kaito.Grains.Workspaces;

/// <summary>What a Workspace knows of one of its machines.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class WorkspaceMachineStatus
{
    public string MachineId { get; set; } = "";

    public string InstanceType { get; set; } = "";

    public bool Ready { get; set; }

    public string? NodeName { get; set; }

    public bool Deleted { get; set; }

    /// <summary>The machine failed for good; the workspace releases it and, within its retry cap, replaces it.</summary>
    public bool Failed { get; set; }

    /// <summary>The provisioner's code for the last failed attempt; null once the machine is ready.</summary>
    public string? ProblemCode { get; set; }

    public string? ProblemMessage { get; set; }
}
