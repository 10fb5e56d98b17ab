using Kaito.CrdBridge.Watching;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>Several silos watch the same cluster: one aggregate decides, so nothing is created twice and status holds still.</summary>
public sealed class TwoSiloTests(TwoSiloControlPlaneFixture fixture) : IClassFixture<TwoSiloControlPlaneFixture>
{
    private readonly Workspaces _kubectl = new(fixture);

    [Fact]
    public async Task Two_silos_create_each_object_once_and_a_resyncing_silo_writes_nothing()
    {
        var names = new[] { "ws-a", "ws-b", "ws-c" };
        foreach (var name in names)
        {
            await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));
        }

        foreach (var name in names)
        {
            await _kubectl.ReadyAsync(name);
            Assert.Single(await _kubectl.NamesAsync("nodeclaims", $"kaito.sh/workspace={name}"));
            Assert.Single(await _kubectl.NamesAsync("deployments", $"kaito.sh/workspace={name}"));
            Assert.Single(await _kubectl.NamesAsync("services", $"kaito.sh/workspace={name}"));
            Assert.Single(await _kubectl.NamesAsync("controllerrevisions", $"kaito.sh/workspace={name}"));
        }

        var before = await VersionsAsync(names);

        // A silo that starts lists every Workspace and pokes every grain: a resync must change nothing.
        await fixture.StopSiloAsync(fixture.Silos[^1]);
        var fresh = await fixture.StartSiloAsync();
        await fresh.Services.GetRequiredService<WorkspaceWatcher>().Synced;
        var grains = fresh.Services.GetRequiredService<IGrainFactory>();
        foreach (var name in names)
        {
            var uid = (await _kubectl.ObjectAsync("workspace", name))["metadata"]!["uid"]!.GetValue<string>();
            Assert.Equal(WorkspacePhase.Ready, (await grains.GetGrain<IWorkspaceGrain>($"default/{name}/{uid}").GetState()).Phase);
        }

        Assert.Equal(before, await VersionsAsync(names));
    }

    private async Task<IReadOnlyList<string>> VersionsAsync(IEnumerable<string> names)
    {
        var versions = new List<string>();
        foreach (var name in names)
        {
            foreach (var kind in new[] { "workspace", "deployment", "service" })
            {
                versions.Add($"{kind}/{name}@{(await _kubectl.ObjectAsync(kind, name))["metadata"]!["resourceVersion"]}");
            }
        }

        return versions;
    }
}
