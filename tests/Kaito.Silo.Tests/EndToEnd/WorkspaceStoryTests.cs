using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>
/// What <c>kubectl describe workspace</c> and <c>kubectl get workspace -o yaml</c> tell a user about a workspace's
/// life: the Events the grain's decisions wrote, and the phases of its cold start with their durations.
/// </summary>
public sealed partial class WorkspaceStoryTests(NodeClaimControlPlaneFixture fixture) : IClassFixture<NodeClaimControlPlaneFixture>
{
    private static readonly string[] LifeToReady =
        ["RevisionAccepted", "InstanceTypeSelected", "MachineRequested", "NodeRegistered", "ResourceReady", "WorkloadApplied", "WorkloadScheduled", "WorkspaceReady"];

    private static readonly string[] PhaseNames = ["Nodes", "WorkloadScheduled", "ImageAndModelLoad", "Ready"];

    private readonly Workspaces _kubectl = new(fixture);

    [Fact]
    public async Task Kubectl_describe_tells_the_story_of_a_workspace_in_its_Events_from_the_accepted_revision_to_ready_and_deletion()
    {
        const string name = "ws-story";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));
        await _kubectl.ReadyAsync(name);

        var events = await Eventually.ReturnsAsync(async () => EventsSection(await _kubectl.KubectlAsync("describe", "workspace", name)),
            t => t.Rows.Any(r => r["Reason"] == "WorkspaceReady"), Workspaces.Deadline, "the WorkspaceReady event in kubectl describe");

        Assert.Equal(["Type", "Reason", "Age", "From", "Message"], events.Columns);
        Assert.Equal(LifeToReady, events.Rows.Select(r => r["Reason"]));
        Assert.All(events.Rows, r => Assert.Equal(("Normal", "kaito"), (r["Type"], r["From"])));
        var claim = Assert.Single(await _kubectl.NamesAsync("nodeclaims", $"kaito.sh/workspace={name}"));
        Assert.StartsWith("Accepted revision 1 (", Message(events, "RevisionAccepted"));
        Assert.EndsWith("inference of phi-3-mini-4k-instruct on 1 x Standard_NC6s_v3", Message(events, "RevisionAccepted"));
        Assert.Equal("Instance type Standard_NC6s_v3 for 1 node(s)", Message(events, "InstanceTypeSelected"));
        Assert.Equal($"Requested machine {claim} (Standard_NC6s_v3)", Message(events, "MachineRequested"));
        Assert.StartsWith($"Machine {claim} registered node ", Message(events, "NodeRegistered"));
        Assert.Equal("1/1 pod(s) scheduled", Message(events, "WorkloadScheduled"));

        await _kubectl.KubectlAsync("delete", "workspace", name, "--wait=true", "--timeout=60s");

        var after = await Eventually.ReturnsAsync(
            async () => JsonNode.Parse(await _kubectl.KubectlAsync("get", "events", "--field-selector", $"involvedObject.kind=Workspace,involvedObject.name={name}", "-o", "json"))!["items"]!
                .AsArray().Select(e => e!["reason"]!.GetValue<string>()).ToList(),
            reasons => reasons.Contains("MachineDeleted"), Workspaces.Deadline, "the deletion's events");
        Assert.Equal([.. LifeToReady, "Deleting", "MachineDeleted"], after);
    }

    [Fact]
    public async Task The_cold_start_phases_are_in_the_status_in_order_and_the_Ready_phase_spans_them_all()
    {
        const string name = "ws-phases";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));
        await _kubectl.ReadyAsync(name);

        var yaml = await _kubectl.KubectlAsync("get", "workspace", name, "-o", "yaml");
        var phases = (await _kubectl.ObjectAsync("workspace", name))["status"]!["phases"]!.AsArray().Select(p => p!.AsObject()).ToList();

        Assert.Equal(PhaseNames, phases.Select(p => p["name"]!.GetValue<string>()));
        Assert.All(PhaseNames, n => Assert.Matches($@"\n\s+(- )?name: {n}\n", yaml));
        Assert.Equal(4, DurationLine().Matches(yaml).Count);
        var (nodes, scheduled, load, ready) = (Times(phases[0]), Times(phases[1]), Times(phases[2]), Times(phases[3]));
        Assert.All([nodes, scheduled, load, ready], t => Assert.Equal((t.End - t.Start).TotalSeconds, t.Seconds, 3));
        Assert.True(ready.Start <= nodes.Start, "the cold start begins with the accepted revision");
        Assert.True(nodes.End <= scheduled.Start, "the workload is applied once the nodes are ready");
        Assert.Equal(scheduled.End, load.Start);
        Assert.Equal(load.End, ready.End);
        Assert.True(ready.Seconds >= nodes.Seconds + scheduled.Seconds + load.Seconds - 0.003, "Ready spans the other phases");
        Assert.True(nodes.Seconds > 0, "a NodeClaim takes time to become a ready node");

        var describe = await _kubectl.KubectlAsync("describe", "workspace", name);
        Assert.Contains("Phases:", describe, StringComparison.Ordinal);
        Assert.All(PhaseNames, n => Assert.Matches($@"Name:\s+{n}\n", describe));
        Assert.Matches(@"Duration Seconds:\s+[0-9.]+", describe);
    }

    /// <summary>The Events section of kubectl describe, as a table (the dashes line left out).</summary>
    private static KubectlTable EventsSection(string describe)
    {
        var lines = describe.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("Events:", StringComparison.Ordinal));
        if (start < 0 || lines[start].Contains("<none>", StringComparison.Ordinal))
        {
            return KubectlTable.Parse("Type  Reason  Age  From  Message\n");
        }

        var section = lines.Skip(start + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).Where(l => !l.TrimStart().StartsWith("----", StringComparison.Ordinal));
        return KubectlTable.Parse(string.Join('\n', section));
    }

    private static string Message(KubectlTable events, string reason) => events.Rows.Single(r => r["Reason"] == reason)["Message"];

    private static (DateTime Start, DateTime End, double Seconds) Times(JsonObject phase) => (
        Time(phase["startedAt"]!), Time(phase["finishedAt"]!), phase["durationSeconds"]!.GetValue<double>());

    private static DateTime Time(JsonNode value) =>
        DateTime.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    [GeneratedRegex(@"^\s+(- )?durationSeconds: [0-9.]+$", RegexOptions.Multiline)]
    private static partial Regex DurationLine();
}
