namespace Kaito.Silo.Tests.Install;

/// <summary>One request to the API server in RBAC's terms: verb, API group, resource (with subresource), namespace, name.</summary>
public sealed record ApiRequest(string Verb, string Group, string Resource, string? Namespace, string? Name, int Status)
{
    public override string ToString() =>
        $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource}{(Namespace is null ? "" : $" in {Namespace}")}{(Name is null ? "" : $" named {Name}")} -> {Status}";

    /// <summary>Maps a request URL and method to RBAC's verb and resource, as the API server's request-info resolver does; null for non-resource URLs (/version).</summary>
    public static ApiRequest? Parse(HttpMethod method, Uri uri, int status)
    {
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group;
        string[] rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, rest) = ("", segments[2..]);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, rest) = (segments[1], segments[3..]);
        }
        else
        {
            return null;
        }

        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces")
        {
            (ns, rest) = (rest[1], rest[2..]);
        }

        var resource = rest.Length > 2 ? $"{rest[0]}/{rest[2]}" : rest[0];
        var name = rest.Length > 1 ? rest[1] : null;
        var watch = uri.Query.Contains("watch=true", StringComparison.Ordinal);
        var verb = method.Method switch
        {
            "GET" => name is not null ? "get" : watch ? "watch" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is not null ? "delete" : "deletecollection",
            _ => method.Method.ToLowerInvariant(),
        };
        return new ApiRequest(verb, group, resource, ns, name, status);
    }
}
