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
}
