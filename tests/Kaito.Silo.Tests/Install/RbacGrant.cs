using System.Text.Json.Nodes;

namespace Kaito.Silo.Tests.Install;

/// <summary>One verb on one resource from a ClusterRole (<see cref="Namespace"/> null) or a Role, with its resourceNames if any.</summary>
public sealed record RbacGrant(string? Namespace, string Group, string Resource, string Verb, IReadOnlyList<string> ResourceNames)
{
    public bool Allows(ApiRequest request) =>
        request.Group == Group && request.Resource == Resource && request.Verb == Verb
        && (Namespace is null || request.Namespace == Namespace)
        && (ResourceNames.Count == 0 || (request.Name is not null && ResourceNames.Contains(request.Name)));

    public override string ToString() =>
        $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource}{(ResourceNames.Count == 0 ? "" : $" [{string.Join(',', ResourceNames)}]")}"
        + (Namespace is null ? " (ClusterRole)" : $" (Role in {Namespace})");

    /// <summary>Every grant of a ClusterRole or Role as <c>kubectl get -o json</c> prints it.</summary>
    public static IEnumerable<RbacGrant> Expand(JsonObject role)
    {
        var ns = role["kind"]!.GetValue<string>() == "Role" ? role["metadata"]!["namespace"]!.GetValue<string>() : null;
        foreach (var rule in role["rules"]!.AsArray().OfType<JsonObject>())
        {
            var names = Strings(rule["resourceNames"]);
            foreach (var group in Strings(rule["apiGroups"]))
            {
                foreach (var resource in Strings(rule["resources"]))
                {
                    foreach (var verb in Strings(rule["verbs"]))
                    {
                        yield return new RbacGrant(ns, group, resource, verb, names);
                    }
                }
            }
        }
    }

    private static string[] Strings(JsonNode? node) => node?.AsArray().Select(n => n!.GetValue<string>()).ToArray() ?? [];
}
