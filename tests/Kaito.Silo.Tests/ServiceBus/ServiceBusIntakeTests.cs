using System.Diagnostics;
using System.Text.Json.Nodes;
using Azure.Messaging.ServiceBus;
using Kaito.Grains.Workspaces;
using Kaito.Silo.Tests.EndToEnd;
using Kaito.Silo.Tests.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Kaito.Silo.Tests.ServiceBus;

/// <summary>
/// Workspace requests sent with the real Azure.Messaging.ServiceBus client to the local broker, carried out by
/// <c>kaito run</c> on a real API server; status comes back on the topic.
/// </summary>
public sealed class ServiceBusIntakeTests(ServiceBusControlPlaneFixture fixture) : IClassFixture<ServiceBusControlPlaneFixture>
{
    private static readonly TimeSpan Deadline = Workspaces.Deadline;
    private readonly Workspaces _kubectl = new(fixture);

    [Fact]
    public async Task An_apply_message_creates_the_workspace_kubectl_sees_with_the_message_and_sender_as_actor_and_status_answers_it()
    {
        const string name = "sb-apply";
        await SendAsync(Workspaces.Example("inference-phi-3.yaml", name), "req-apply-1", sender: "orders-service");

        var obj = await Eventually.ReturnsAsync(() => TryObjectAsync(name), o => o is not null, Deadline, $"{name} created");
        Assert.Equal("req-apply-1", obj!["metadata"]!["annotations"]![RequestAnnotations.RequestId]!.GetValue<string>());
        var key = $"default/{name}/{obj["metadata"]!["uid"]!.GetValue<string>()}";
        var audit = fixture.Silo!.Services.GetRequiredService<IGrainFactory>().GetGrain<IWorkspaceAuditGrain>(0);
        var history = await Eventually.ReturnsAsync(() => audit.GetWorkspaceHistory(key), h => h.Count > 0, Deadline, $"{name} audit history");
        Assert.Equal(("workspace.requested", "servicebus:orders-service/req-apply-1"), (history[0].EventType, history[0].Actor));

        await using var status = fixture.ServiceBus.CreateReceiver(ServiceBusControlPlaneFixture.Topic, "kaito");
        var seen = new List<ServiceBusReceivedMessage>();
        var clock = Stopwatch.StartNew();
        while (!seen.Any(m => m.SessionId == $"default/{name}" && m.Subject == nameof(WorkspacePhase.Ready)) && clock.Elapsed < Deadline)
        {
            foreach (var m in await status.ReceiveMessagesAsync(50, TimeSpan.FromSeconds(2)))
            {
                await status.CompleteMessageAsync(m);
                seen.Add(m);
            }
        }

        var mine = seen.Where(m => m.SessionId == $"default/{name}").ToList();
        Assert.Contains(mine, m => m.Subject == nameof(WorkspacePhase.Ready));
        Assert.All(mine, m => Assert.Equal("req-apply-1", m.CorrelationId));
        var versions = mine.Select(m => JsonNode.Parse(m.Body.ToString())!["version"]!.GetValue<int>()).ToList();
        Assert.Equal(versions.Order().Distinct().ToList(), versions);
        Assert.Contains("\"conditions\"", mine[^1].Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delete_message_deletes_the_workspace()
    {
        const string name = "sb-delete";
        await SendAsync(Workspaces.Example("inference-phi-3.yaml", name), "req-delete-apply");
        await Eventually.ReturnsAsync(() => TryObjectAsync(name), o => o is not null, Deadline, $"{name} created");

        await SendAsync($$"""{"namespace": "default", "name": "{{name}}"}""", "req-delete", operation: "delete");

        await Eventually.ReturnsAsync(() => TryObjectAsync(name), o => o is null, Deadline, $"{name} deleted");
    }

    [Fact]
    public async Task An_invalid_workspace_is_dead_lettered_with_the_validation_errors()
    {
        var yaml = Workspaces.Example("inference-phi-3.yaml", "sb-invalid").Replace("name: \"phi-3-mini-4k-instruct\"", "name: \"phi-9\"", StringComparison.Ordinal)
            .Replace("name: phi-3-mini-4k-instruct", "name: phi-9", StringComparison.Ordinal);
        await SendAsync(yaml, "req-invalid");

        var dead = await DeadLetterAsync("req-invalid");

        Assert.Equal("InvalidWorkspace", dead.DeadLetterReason);
        Assert.Contains("phi-9", dead.DeadLetterErrorDescription, StringComparison.Ordinal);
        Assert.Null(await TryObjectAsync("sb-invalid"));
    }

    [Fact]
    public async Task A_redelivered_message_is_a_no_op()
    {
        const string name = "sb-duplicate";
        var yaml = Workspaces.Example("inference-phi-3.yaml", name);
        await SendAsync(yaml, "req-duplicate");
        var first = await Eventually.ReturnsAsync(() => TryObjectAsync(name), o => o is not null, Deadline, $"{name} created");
        await Eventually.TrueAsync(() => fixture.Broker.CountMessages(ServiceBusControlPlaneFixture.Queue) == 0, Deadline, "first copy handled");
        var generation = first!["metadata"]!["generation"]!.GetValue<long>();

        // The same message id again, with another instance type: carried out already, so nothing is written.
        await SendAsync(yaml.Replace("Standard_NC6s_v3", "Standard_NC12s_v3", StringComparison.Ordinal), "req-duplicate");
        await Eventually.TrueAsync(() => fixture.Broker.CountMessages(ServiceBusControlPlaneFixture.Queue) == 0, Deadline, "second copy handled");

        var after = await TryObjectAsync(name);
        Assert.Equal("Standard_NC6s_v3", after!["resource"]!["instanceType"]!.GetValue<string>());
        Assert.Equal(generation, after["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(0, fixture.Broker.CountMessages(ServiceBusControlPlaneFixture.Queue, deadLetter: true));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_by_abandoning_and_then_succeeds()
    {
        const string name = "sb-transient";
        await Eventually.TrueAsync(() => fixture.Writer is not null, Deadline, "writer in place");
        fixture.Writer.FailNextApplies(2);
        var failuresBefore = fixture.Writer.Failures;

        await SendAsync(Workspaces.Example("inference-phi-3.yaml", name), "req-transient");

        await Eventually.ReturnsAsync(() => TryObjectAsync(name), o => o is not null, Deadline, $"{name} created after the retries");
        Assert.Equal(2, fixture.Writer.Failures - failuresBefore);
        Assert.Equal(0, fixture.Broker.CountMessages(ServiceBusControlPlaneFixture.Queue, deadLetter: true));
    }

    [Fact]
    public async Task Each_outcome_is_counted_once_in_kaito_servicebus_messages_total()
    {
        const string name = "sb-metrics";
        const string counter = "kaito_servicebus_messages_total";
        string[] outcomes = ["applied", "deleted", "duplicate", "dead-lettered", "abandoned"];
        await Eventually.TrueAsync(() => fixture.Writer is not null, Deadline, "writer in place");
        var before = await PrometheusScrape.GetAsync(fixture.Silo!);
        var yaml = Workspaces.Example("inference-phi-3.yaml", name);

        fixture.Writer.FailNextApplies(1);
        await SendAsync(yaml, "req-metrics");
        await Eventually.ReturnsAsync(() => TryObjectAsync(name), o => o is not null, Deadline, $"{name} created after a retry");
        await SendAsync(yaml, "req-metrics");
        await Eventually.TrueAsync(() => fixture.Broker.CountMessages(ServiceBusControlPlaneFixture.Queue) == 0, Deadline, "the redelivery handled");
        await SendAsync($$"""{"namespace": "default", "name": "{{name}}"}""", "req-metrics-delete", operation: "delete");
        await SendAsync(yaml.Replace("phi-3-mini-4k-instruct", "phi-9", StringComparison.Ordinal), "req-metrics-invalid");

        var expected = new Dictionary<string, double> { ["applied"] = 1, ["deleted"] = 1, ["duplicate"] = 1, ["dead-lettered"] = 1, ["abandoned"] = 1 };
        var after = await Eventually.ReturnsAsync(() => PrometheusScrape.GetAsync(fixture.Silo!),
            s => outcomes.All(o => s.Sum(counter, ("outcome", o)) - before.Sum(counter, ("outcome", o)) >= expected[o]), Deadline, "every outcome counted");
        Assert.Equal(expected, outcomes.ToDictionary(o => o, o => after.Sum(counter, ("outcome", o)) - before.Sum(counter, ("outcome", o))));
    }

    public static TheoryData<string, string, string> HostileBodies() => new()
    {
        { "alias-bomb", "InvalidWorkspace", "more than 100000 nodes once aliases are expanded" },
        { "deep-nesting", "InvalidWorkspace", "nesting deeper than 64 levels" },
        { "binary", "BodyNotText", "not UTF-8 text" },
        { "oversize", "BodyTooLarge", "the limit is 262144" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task A_hostile_body_is_dead_lettered_within_a_second_with_a_clear_reason(string kind, string reason, string description)
    {
        byte[] body = kind switch
        {
            "alias-bomb" => File.ReadAllBytes(RepoPaths.Of("tests", "testdata", "workspaces", "hostile", "alias-bomb.yaml")),
            "deep-nesting" => File.ReadAllBytes(RepoPaths.Of("tests", "testdata", "workspaces", "hostile", "deep-nesting.yaml")),
            "binary" => [0xff, 0xfe, 0x00, 0xc3, 0x28, 0xa0, 0xa1, 0x00, 0x01, 0x02],
            _ => new byte[300 * 1024],
        };
        await SendAsync(body, $"req-hostile-{kind}");
        var clock = Stopwatch.StartNew();

        await Eventually.TrueAsync(() => fixture.Broker.CountMessages(ServiceBusControlPlaneFixture.Queue, deadLetter: true) > 0, Deadline, "dead-lettered");
        var elapsed = clock.Elapsed;
        var dead = await DeadLetterAsync($"req-hostile-{kind}");

        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"{kind} took {elapsed} to be dead-lettered");
        Assert.Equal(reason, dead.DeadLetterReason);
        Assert.Contains(description, dead.DeadLetterErrorDescription, StringComparison.Ordinal);
    }

    private Task SendAsync(string body, string messageId, string operation = "apply", string sender = "e2e-tests") =>
        SendAsync(System.Text.Encoding.UTF8.GetBytes(body), messageId, operation, sender);

    private async Task SendAsync(byte[] body, string messageId, string operation = "apply", string sender = "e2e-tests")
    {
        await using var queue = fixture.ServiceBus.CreateSender(ServiceBusControlPlaneFixture.Queue);
        var message = new ServiceBusMessage(body) { MessageId = messageId };
        message.ApplicationProperties["kaito-operation"] = operation;
        message.ApplicationProperties["kaito-requested-by"] = sender;
        await queue.SendMessageAsync(message);
    }

    private async Task<ServiceBusReceivedMessage> DeadLetterAsync(string messageId)
    {
        await using var dlq = fixture.ServiceBus.CreateReceiver(ServiceBusControlPlaneFixture.Queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Deadline)
        {
            if (await dlq.ReceiveMessageAsync(TimeSpan.FromSeconds(2)) is { } m)
            {
                await dlq.CompleteMessageAsync(m);
                if (m.MessageId == messageId)
                {
                    return m;
                }
            }
        }

        throw new TimeoutException($"{messageId} was not dead-lettered");
    }

    private async Task<JsonObject?> TryObjectAsync(string name)
    {
        try
        {
            return await _kubectl.ObjectAsync("workspace", name);
        }
        catch (Exception ex) when (ex.Message.Contains("NotFound", StringComparison.Ordinal) || ex.Message.Contains("not found", StringComparison.Ordinal))
        {
            return null;
        }
    }
}
