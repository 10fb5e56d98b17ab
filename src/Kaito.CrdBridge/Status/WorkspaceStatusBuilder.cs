using System.Globalization;
using System.Text.Json.Nodes;
using Kaito.Grains.Workspaces;

namespace Kaito.CrdBridge.Status;

/// <summary>
/// The Workspace <c>status</c> for a <see cref="WorkspaceView"/>: <c>workerNodes</c> (left out when empty, as
/// upstream's omitempty) and one metav1.Condition per view condition, observedGeneration = the view's generation,
/// lastTransitionTime kept from the stored condition while its status is unchanged, else <c>now</c>; and
/// <c>phases</c>, the cold-start phases (left out until the first starts), times to the millisecond. Pure.
/// </summary>
public static class WorkspaceStatusBuilder
{
    public static JsonObject Build(WorkspaceView view, JsonObject? stored, DateTimeOffset now)
    {
        var previous = (stored?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Where(c => c["type"] is not null)
            .GroupBy(c => c["type"]!.ToString())
            .ToDictionary(g => g.Key, g => g.First()) ?? [];
        var status = new JsonObject();
        if (view.WorkerNodes.Count > 0)
        {
            status["workerNodes"] = new JsonArray(view.WorkerNodes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        }

        var conditions = new JsonArray();
        foreach (var condition in view.Conditions)
        {
            var transition = previous.TryGetValue(condition.Type, out var old)
                && old["status"]?.ToString() == condition.Status
                && old["lastTransitionTime"]?.ToString() is { Length: > 0 } kept
                    ? kept
                    : now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            conditions.Add(new JsonObject
            {
                ["type"] = condition.Type,
                ["status"] = condition.Status,
                ["observedGeneration"] = view.Generation,
                ["lastTransitionTime"] = transition,
                ["reason"] = ConditionReason.Sanitize(condition.Reason),
                // Never empty: the 1.20 API server reads "" as null and refuses it against the required string.
                ["message"] = string.IsNullOrEmpty(condition.Message) ? condition.Reason : condition.Message,
            });
        }

        status["conditions"] = conditions;
        if (view.ColdStart is { Count: > 0 } phases)
        {
            status["phases"] = new JsonArray([.. phases.Select(Phase)]);
        }

        // Parsed back so that it compares with a stored status value for value (numbers as JSON text).
        return JsonNode.Parse(status.ToJsonString())!.AsObject();
    }

    private static JsonNode Phase(ColdStartPhaseView phase)
    {
        var started = Milliseconds(phase.StartedAt);
        var json = new JsonObject { ["name"] = phase.Name, ["startedAt"] = Time(started) };
        if (phase.FinishedAt is { } at)
        {
            // From the times as written, so that finishedAt - startedAt is durationSeconds to the millisecond.
            var finished = Milliseconds(at);
            json["finishedAt"] = Time(finished);
            json["durationSeconds"] = (finished - started).TotalMilliseconds / 1000;
        }

        return json;
    }

    private static DateTime Milliseconds(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    private static string Time(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
