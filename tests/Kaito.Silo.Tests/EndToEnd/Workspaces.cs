using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>What a kubectl user does and sees, against one <see cref="ControlPlaneFixture"/>.</summary>
public sealed partial class Workspaces(ControlPlaneFixture fixture)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public static readonly string[] QuickStarts = ["inference-phi-3.yaml", "inference-phi-3-adapters.yaml", "tuning-phi-3.yaml"];

    /// <summary>A quick start from examples/, renamed when <paramref name="name"/> is given (nothing else changes).</summary>
    public static string Example(string file, string? name = null)
    {
        var yaml = File.ReadAllText(RepoPaths.Of("examples", file));
        return name is null ? yaml : MetadataName().Replace(yaml, $"  name: {name}", 1);
    }

    public Task<string> ApplyAsync(string yaml) => fixture.Cluster.KubectlWithInputAsync(yaml, "apply", "-f", "-");

    public Task<string> KubectlAsync(params string[] args) => fixture.Cluster.KubectlAsync(args);

    public async Task<KubectlTable> GetAsync(params string[] args) => KubectlTable.Parse(await KubectlAsync(["get", .. args]));

    public Task<KubectlTable> RowAsync(string name, Func<IReadOnlyDictionary<string, string>, bool> condition, string what) =>
        Eventually.ReturnsAsync(() => GetAsync("workspace", name), t => t.Rows.Count == 1 && condition(t.Rows[0]), Deadline, $"{name}: {what}");

    public Task<KubectlTable> ReadyAsync(string name) => RowAsync(name, r => r["WORKSPACEREADY"] == "True", "WORKSPACEREADY True");

    public async Task<JsonObject> ObjectAsync(string kind, string name) =>
        JsonNode.Parse(await KubectlAsync("get", kind, name, "-o", "json"))!.AsObject();

    /// <summary>Waits until a condition of the Workspace matches and returns it.</summary>
    public Task<JsonObject> ConditionAsync(string name, string type, Func<JsonObject, bool> condition, string what) =>
        Eventually.ReturnsAsync(
            async () => (await ObjectAsync("workspace", name))["status"]?["conditions"]?.AsArray().OfType<JsonObject>()
                .FirstOrDefault(c => c["type"]?.GetValue<string>() == type) ?? new JsonObject(),
            condition, Deadline, $"{name}: {type} {what}");

    public async Task<IReadOnlyList<string>> NamesAsync(string kind, string labelSelector, bool allNamespaces = false)
    {
        var args = new List<string> { "get", kind, "-l", labelSelector, "-o", "jsonpath={.items[*].metadata.name}" };
        if (allNamespaces)
        {
            args.Add("-A");
        }

        return (await KubectlAsync([.. args])).Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    [GeneratedRegex("^  name: .*$", RegexOptions.Multiline)]
    private static partial Regex MetadataName();
}
