namespace Kaito.Grains.Workspaces;

/// <summary>What a Workspace runs: a model server or a tuning job.</summary>
public enum WorkspaceMode
{
    Inference,
    Tuning,
}
