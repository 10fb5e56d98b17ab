using System.Net;
using System.Text.Json.Nodes;
using Kaito.Silo.Tests.Operations;

namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>What an operator sees of a running <c>kaito run</c>: <c>/metrics</c>, the Orleans Dashboard and OTLP traces.</summary>
public sealed class ObservabilityTests(ObservabilityControlPlaneFixture fixture) : IClassFixture<ObservabilityControlPlaneFixture>
{
    private const string Phases = "kaito_provisioning_phase_duration_seconds";
    private readonly Workspaces _kubectl = new(fixture);

    [Fact]
    public async Task After_a_workspace_is_Ready_metrics_show_reconciles_events_and_each_provisioning_phase_with_plausible_values()
    {
        const string name = "ws-metrics";
        var started = DateTimeOffset.UtcNow;
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));
        await _kubectl.ReadyAsync(name);
        var upperBound = (DateTimeOffset.UtcNow - started).TotalSeconds;

        var scrape = await Eventually.ReturnsAsync(() => PrometheusScrape.GetAsync(fixture.Silo!),
            s => s.Sum(Phases + "_count", ("phase", "Ready"), ("provisioner", "NodeClaim")) >= 1, Workspaces.Deadline, "the Ready phase recorded");

        Assert.True(scrape.Sum("kaito_reconcile_duration_seconds_count", ("kind", "workspace"), ("outcome", "ok")) > 0, scrape.Text);
        Assert.True(scrape.Sum("kaito_reconcile_duration_seconds_count", ("kind", "machine"), ("outcome", "ok")) > 0, scrape.Text);
        Assert.True(scrape.Sum("kaito_reconcile_duration_seconds_sum", ("kind", "workspace")) > 0, scrape.Text);
        Assert.True(scrape.Sum("kaito_events_appended_total", ("kind", "workspace")) >= 5, scrape.Text);
        Assert.True(scrape.Sum("kaito_events_appended_total", ("kind", "machine")) >= 3, scrape.Text);
        foreach (var phase in new[] { "Nodes", "WorkloadScheduled", "ImageAndModelLoad", "Ready", "MachineReady" })
        {
            var count = scrape.Sum(Phases + "_count", ("phase", phase), ("provisioner", "NodeClaim"));
            var sum = scrape.Sum(Phases + "_sum", ("phase", phase), ("provisioner", "NodeClaim"));
            Assert.True(count >= 1, $"{phase}: no duration recorded\n{scrape.Text}");
            Assert.True(sum > 0 && sum / count <= upperBound, $"{phase}: mean {sum / count} s is not within (0, {upperBound}] s");
        }

        // The whole cold start holds each of its parts.
        Assert.True(scrape.Sum(Phases + "_sum", ("phase", "Ready")) >= scrape.Sum(Phases + "_sum", ("phase", "ImageAndModelLoad")), scrape.Text);
    }

    [Fact]
    public async Task The_Orleans_Dashboard_answers_at_dashboard_with_this_silo_in_its_counters()
    {
        using var http = new HttpClient { BaseAddress = PrometheusScrape.OperationsUrl(fixture.Silo!) };

        var page = await http.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

        var counters = await Eventually.ReturnsAsync(
            async () => JsonNode.Parse(await http.GetStringAsync("/dashboard/DashboardCounters"))!.AsObject(),
            c => c["totalActiveHostCount"]?.GetValue<int>() >= 1, Workspaces.Deadline, "the dashboard counts this silo");
        Assert.NotNull(counters["hosts"]);
    }

    [Fact]
    public async Task Reconcile_passes_reach_the_configured_OTLP_collector_as_traces()
    {
        const string name = "ws-traces";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));

        await Eventually.TrueAsync(
            () => fixture.Collector.Exports.Any(e => e.Path == "/v1/traces" && e.Method == "POST" && e.Carries("workspace reconcile") && e.Carries(name)),
            Workspaces.Deadline, $"a trace of {name}'s reconcile exported");
    }
}
