using System.Net;
using System.Text.Json.Nodes;
using Kaito.Silo.Tests.Cli;
using Kaito.Silo.Tests.EndToEnd;

namespace Kaito.Silo.Tests.Audit;

/// <summary>The audit API and <c>kaito audit</c> against <c>kaito run</c> on the test cluster.</summary>
public sealed class AuditApiTests(AuditControlPlaneFixture fixture) : IClassFixture<AuditControlPlaneFixture>
{
    private readonly Workspaces _kubectl = new(fixture);

    [Fact]
    public async Task A_request_without_the_token_or_with_a_wrong_one_is_refused_with_401()
    {
        using var none = fixture.AuditClient(token: null);
        using var wrong = fixture.AuditClient("not-the-token");
        using var right = fixture.AuditClient();

        using var withoutToken = await none.GetAsync("/api/workspaces");
        using var withWrongToken = await wrong.GetAsync("/api/workspaces/default/anything/events");
        using var withToken = await right.GetAsync("/api/workspaces");

        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
        Assert.Equal("Bearer", withoutToken.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, withWrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
    }

    [Fact]
    public async Task A_deleted_workspace_and_the_one_recreated_with_its_name_are_both_in_its_history_newest_first()
    {
        const string name = "ws-audit-again";
        var first = await CreateReadyAsync(name);
        await _kubectl.KubectlAsync("delete", "workspace", name, "--wait=true", "--timeout=60s");
        var second = await CreateReadyAsync(name);
        using var http = fixture.AuditClient();

        var events = await AllEventsAsync(http, $"/api/workspaces/default/{name}/events", limit: 3);

        Assert.Equal(second, events[0]["uid"]!.GetValue<string>());
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), events.Select(e => e["uid"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(events, e => e["uid"]!.GetValue<string>() == first && e["type"]!.GetValue<string>() == "workspace.deleted");
        var times = events.Select(e => e["time"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(times.OrderDescending(), times);
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e["actor"]!.GetValue<string>())));
        var unpaged = await GetAsync(http, $"/api/workspaces/default/{name}/events");
        Assert.Equal(events.Select(e => e.ToJsonString()), unpaged["items"]!.AsArray().Select(e => e!.ToJsonString()));

        var newest = await GetAsync(http, $"/api/workspaces/default/{name}");
        var deleted = await GetAsync(http, $"/api/workspaces/default/{name}?uid={first}");
        Assert.Equal((second, "Ready"), (newest["uid"]!.GetValue<string>(), newest["state"]!.GetValue<string>()));
        Assert.Equal((first, "Deleted"), (deleted["uid"]!.GetValue<string>(), deleted["state"]!.GetValue<string>()));

        var onlyFirst = await AllEventsAsync(http, $"/api/workspaces/default/{name}/events?uid={first}", limit: 100);
        Assert.All(onlyFirst, e => Assert.Equal(first, e["uid"]!.GetValue<string>()));

        var machine = events.Where(e => e["type"]!.GetValue<string>() == "workspace.machineRequested")
            .Select(e => e["summary"]!.GetValue<string>().Split(' ')[1]).First();
        var machineEvents = await AllEventsAsync(http, $"/api/machines/{machine}/events", limit: 2);
        Assert.NotEmpty(machineEvents);
        Assert.Equal(machineEvents.Select(e => e["version"]!.GetValue<int>()).OrderDescending(), machineEvents.Select(e => e["version"]!.GetValue<int>()));

        var table = CliRun.Of("audit", $"default/{name}", "--server", fixture.AuditUrl, "--token", AuditControlPlaneFixture.Token);
        Assert.Equal(0, table.ExitCode);
        Assert.Equal(["TIME", "UID", "VERSION", "EVENT", "ACTOR", "SUMMARY"], table.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(events.Count + 1, table.Lines.Count);
        Assert.Contains(table.Lines, l => l.Contains(" workspace.deleted ", StringComparison.Ordinal) && l.Contains($" {first[..8]} ", StringComparison.Ordinal));

        var json = CliRun.Of("audit", $"default/{name}", "--uid", second, "-o", "json", "--server", fixture.AuditUrl, "--token", AuditControlPlaneFixture.Token);
        Assert.Equal(0, json.ExitCode);
        var printed = JsonNode.Parse(json.Stdout)!.AsArray();
        Assert.Equal(events.Count(e => e["uid"]!.GetValue<string>() == second), printed.Count);
        Assert.Equal("workspace.requested", printed[^1]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Workspaces_are_listed_a_page_at_a_time_and_filtered_by_state()
    {
        const string name = "ws-audit-list";
        var uid = await CreateReadyAsync(name);
        using var http = fixture.AuditClient();

        var all = await AllItemsAsync(http, "/api/workspaces?limit=1");
        var ready = await AllItemsAsync(http, "/api/workspaces?state=ready&limit=1");
        var failed = await AllItemsAsync(http, "/api/workspaces?state=Failed");
        using var bad = await http.GetAsync("/api/workspaces?state=Sleeping");

        Assert.Contains(all, w => w["uid"]!.GetValue<string>() == uid && w["name"]!.GetValue<string>() == name && w["namespace"]!.GetValue<string>() == "default");
        Assert.Contains(ready, w => w["uid"]!.GetValue<string>() == uid);
        Assert.All(ready, w => Assert.Equal("Ready", w["state"]!.GetValue<string>()));
        Assert.DoesNotContain(failed, w => w["uid"]!.GetValue<string>() == uid);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Kaito_audit_without_the_token_exits_1_naming_the_refusal()
    {
        var run = CliRun.Of("audit", "default/nothing", "--server", fixture.AuditUrl);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"kaito: the audit API at {fixture.AuditUrl} refused the request (401)", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task An_unknown_workspace_is_404_with_a_reason()
    {
        using var http = fixture.AuditClient();

        using var response = await http.GetAsync("/api/workspaces/default/never-created/events");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no Workspace default/never-created", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<string> CreateReadyAsync(string name)
    {
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));
        await _kubectl.ReadyAsync(name);
        return await _kubectl.KubectlAsync("get", "workspace", name, "-o", "jsonpath={.metadata.uid}");
    }

    private static async Task<JsonObject> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task<List<JsonObject>> AllItemsAsync(HttpClient http, string path)
    {
        var items = new List<JsonObject>();
        string? next = null;
        do
        {
            var page = await GetAsync(http, next is null ? path : $"{path}{(path.Contains('?') ? '&' : '?')}continue={Uri.EscapeDataString(next)}");
            items.AddRange(page["items"]!.AsArray().Select(i => i!.AsObject()));
            next = page["continue"]?.GetValue<string>();
        }
        while (next is not null);

        return items;
    }

    private static Task<List<JsonObject>> AllEventsAsync(HttpClient http, string path, int limit) =>
        AllItemsAsync(http, $"{path}{(path.Contains('?') ? '&' : '?')}limit={limit}");
}
