using Kaito.Api.V1Alpha1;

namespace Kaito.Grains.Workspaces;

/// <summary>The admission rules a Workspace spec must pass, and what follows from the catalog (SKU, disk, topology).</summary>
public interface IWorkspaceSpecRules
{
    SpecDecision CheckCreate(Workspace workspace);

    SpecDecision CheckUpdate(Workspace accepted, Workspace updated);
}
