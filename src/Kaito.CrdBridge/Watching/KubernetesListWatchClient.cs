using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// Lists and watches any collection as JSON over the client's own HttpClient (its TLS, credentials and handlers).
/// The typed and CustomObjects APIs of KubernetesClient cannot reach core-group collections and custom resources
/// through one code path; this reads the line-delimited watch stream itself, so BOOKMARK and ERROR events arrive
/// as they are.
/// </summary>
internal sealed class KubernetesListWatchClient(IKubernetes client)
{
    /// <summary>The client's HttpClient has no timeout of its own (watches need none); a list gets this one.</summary>
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(60);

    private readonly Kubernetes _client = client as Kubernetes
        ?? throw new ArgumentException($"The bridge needs a {typeof(Kubernetes).FullName} (for its HttpClient), not a {client.GetType().Name}.", nameof(client));

    public async Task<ResourceListPage> ListAsync(WatchedResource resource, int limit, string? continueToken, CancellationToken cancellationToken)
    {
        var query = Query(("labelSelector", resource.LabelSelector), ("limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("continue", continueToken));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ListTimeout);
        using var response = await SendAsync(resource.CollectionPath + query, HttpCompletionOption.ResponseContentRead, timeout.Token);
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token), cancellationToken: timeout.Token);
        var root = body.RootElement;
        var items = root.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(item => JsonObject.Create(item.Clone())!).ToList()
            : [];
        var metadata = root.GetProperty("metadata");
        var next = metadata.TryGetProperty("continue", out var c) && c.GetString() is { Length: > 0 } token ? token : null;
        return new ResourceListPage(items, metadata.GetProperty("resourceVersion").GetString() ?? "", next);
    }

    /// <summary>Streams watch events from <paramref name="resourceVersion"/> until the server closes the watch.</summary>
    public async IAsyncEnumerable<WatchLine> WatchAsync(WatchedResource resource, string resourceVersion, TimeSpan timeout,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seconds = Math.Max(1, (int)timeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var query = Query(("watch", "true"), ("allowWatchBookmarks", "true"), ("resourceVersion", resourceVersion),
            ("timeoutSeconds", seconds), ("labelSelector", resource.LabelSelector));

        // The server ends the watch after timeoutSeconds; the local limit only catches a connection that went silent.
        using var stalled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stalled.CancelAfter(timeout + TimeSpan.FromSeconds(30));
        using var response = await SendAsync(resource.CollectionPath + query, HttpCompletionOption.ResponseHeadersRead, stalled.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(stalled.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(stalled.Token) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var node = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("A watch line is not a JSON object.");
            var type = node["type"]?.GetValue<string>() ?? throw new JsonException("A watch line has no type.");
            var obj = node["object"] as JsonObject ?? throw new JsonException($"A {type} watch line has no object.");
            node.Remove("object");
            yield return new WatchLine(type, obj);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string pathAndQuery, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_client.BaseUri, pathAndQuery));
        if (_client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        var response = await _client.HttpClient.SendAsync(request, completion, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new ApiStatusException(response.StatusCode, $"GET {pathAndQuery}: {(int)response.StatusCode} {Shorten(text)}");
        }
    }

    private static string Query(params (string Name, string? Value)[] parameters) =>
        "?" + string.Join('&', parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";

    internal static HttpStatusCode StatusOf(JsonObject status) =>
        (HttpStatusCode)(status["code"]?.GetValue<int>() ?? 500);
}
