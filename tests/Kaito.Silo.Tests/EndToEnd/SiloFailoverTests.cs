using System.Collections.Concurrent;
using System.Diagnostics;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>Active-active: a silo killed with SIGKILL is declared dead and its workspaces answer from another silo,
/// with nothing created twice in Kubernetes.</summary>
public sealed class SiloFailoverTests(SiloFailoverControlPlaneFixture fixture) : IClassFixture<SiloFailoverControlPlaneFixture>
{
    private readonly Workspaces _kubectl = new(fixture);

    [Fact]
    public async Task A_workspace_hosted_by_a_killed_silo_process_answers_Ready_from_the_silo_that_remains()
    {
        var output = new ConcurrentQueue<string>();
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "kaito"),
            ["run", .. fixture.RunArgs, "--silo-port", ControlPlaneFixture.FreePort().ToString(), "--gateway-port", ControlPlaneFixture.FreePort().ToString(),
             "--set", $"Operations:Port={ControlPlaneFixture.FreePort()}", "--audit-url", $"http://127.0.0.1:{ControlPlaneFixture.FreePort()}",
             "--set", "Logging:LogLevel:Default=Information"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var kaito = Process.Start(start)!;
        kaito.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        kaito.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        kaito.BeginOutputReadLine();
        kaito.BeginErrorReadLine();
        try
        {
            // The process is the only silo, so the workspace's grain is active there.
            await Eventually.TrueAsync(() => output.Any(l => l.Contains("CRD bridge running", StringComparison.Ordinal)), Workspaces.Deadline,
                "kaito run has started the bridge");
            await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", "ws-failover"));
            await _kubectl.ReadyAsync("ws-failover");
            var uid = (await _kubectl.ObjectAsync("workspace", "ws-failover"))["metadata"]!["uid"]!.GetValue<string>();
            var key = $"default/ws-failover/{uid}";

            var survivor = await fixture.StartSiloAsync();
            var grains = survivor.Services.GetRequiredService<IGrainFactory>();
            var here = survivor.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            var management = grains.GetGrain<IManagementGrain>(0);
            // The joining silo's bridge calls every grain while the directory is handed over, which can briefly leave a
            // second activation on the new silo; Orleans drops the duplicate once the directory settles.
            await Eventually.ReturnsAsync<SiloAddress?>(() => management.GetActivationAddress(grains.GetGrain<IWorkspaceGrain>(key)).AsTask(),
                address => address is not null && !address.Equals(here), Workspaces.Deadline, "the grain active only in the kaito run process");
            Assert.NotEqual(here, await management.GetActivationAddress(grains.GetGrain<IWorkspaceGrain>(key)));

            kaito.Kill();

            var answered = await Eventually.ReturnsAsync(
                async () =>
                {
                    try
                    {
                        return await grains.GetGrain<IWorkspaceGrain>(key).GetState().WaitAsync(TimeSpan.FromSeconds(1));
                    }
                    catch (Exception ex) when (ex is TimeoutException or OrleansException)
                    {
                        return null;
                    }
                },
                // Well within Orleans' own membership defaults (5 s probes, about 15-20 s to declare a silo dead):
                // kaito run's Membership defaults declare it dead in about 3 s.
                view => view is not null, TimeSpan.FromSeconds(12), "the killed silo's workspace answers again");
            Assert.Equal(WorkspacePhase.Ready, answered!.Phase);
            Assert.Equal(here, await management.GetActivationAddress(grains.GetGrain<IWorkspaceGrain>(key)));
            Assert.Single(await _kubectl.NamesAsync("nodeclaims", "kaito.sh/workspace=ws-failover"));
            Assert.Single(await _kubectl.NamesAsync("deployments", "kaito.sh/workspace=ws-failover"));
        }
        finally
        {
            if (!kaito.HasExited)
            {
                kaito.Kill(entireProcessTree: true);
            }
        }
    }
}
