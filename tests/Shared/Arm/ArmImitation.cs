using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Core.Pipeline;

namespace Kaito.Testing.Arm;

/// <summary>
/// A loopback imitation of the parts of Azure Resource Manager the agent-pool provisioner uses, speaking the wire
/// protocol: agentPools PUT/GET/DELETE/list (api-version 2024-01-01), 201/202 with Azure-AsyncOperation, Location and
/// Retry-After, operation status documents, ARM error bodies, Microsoft.Compute skus and usages. An HttpListener on
/// 127.0.0.1 only. Pools finish after <see cref="PollsUntilDone"/> polls of their operation, unless held.
/// </summary>
public sealed partial class ArmImitation : IAsyncDisposable
{
    public const string ApiVersion = "2024-01-01";
    public const string InProgressCreate = "Operation is not allowed because there's an in progress create node pool operation";

    private readonly HttpListener _listener = new();
    private readonly object _gate = new();
    private readonly Dictionary<string, JsonObject> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImitationOperation> _operations = new(StringComparer.Ordinal);
    private readonly List<ArmFault> _faults = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _serving;
    private bool _held;

    public ArmImitation(string subscriptionId = "00000000-0000-0000-0000-000000000001", string resourceGroup = "rg-kaito",
        string clusterName = "aks-kaito", string location = "westus2")
    {
        (SubscriptionId, ResourceGroup, ClusterName, Location) = (subscriptionId, resourceGroup, clusterName, location);
        for (var tries = 0; ; tries++)
        {
            Port = FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (tries < 5)
            {
            }
        }

        _serving = Task.Run(ServeAsync);
    }

    public string SubscriptionId { get; }

    public string ResourceGroup { get; }

    public string ClusterName { get; }

    public string Location { get; }

    public int Port { get; }

    /// <summary>What the client is configured with: https on loopback (the transport sends it as http).</summary>
    public Uri Endpoint => new($"https://127.0.0.1:{Port}/");

    /// <summary>A transport for the real Azure SDK pipeline that reaches this imitation.</summary>
    public static HttpPipelineTransport Transport() => new HttpClientTransport(new HttpsToHttpHandler());

    /// <summary>Operation polls answered InProgress before an operation completes.</summary>
    public int PollsUntilDone { get; set; } = 1;

    /// <summary>Retry-After (seconds) on 201/202 answers and on InProgress polls.</summary>
    public int RetryAfterSeconds { get; set; }

    public List<ImitationSku> Skus { get; } =
    [
        new("Standard_NC6s_v3", "standardNCSv3Family", 6),
        new("Standard_NC12s_v3", "standardNCSv3Family", 12),
        new("Standard_NC24ads_A100_v4", "standardNCADSA100v4Family", 24),
        new("Standard_NC4as_T4_v3", "standardNCASv3_T4Family", 4),
        new("Standard_NV36ads_A10_v5", "standardNVADSA10v5Family", 36, "NotAvailableForSubscription"),
    ];

    /// <summary>vCPU usage and limit per quota name (family or <c>cores</c>).</summary>
    public ConcurrentDictionary<string, (long Current, long Limit)> Usages { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cores"] = (0, 1000),
        ["standardNCSv3Family"] = (0, 48),
        ["standardNCADSA100v4Family"] = (0, 96),
    };

    /// <summary>VM sizes whose create operation ends Failed with this code and message (e.g. an allocation error).</summary>
    public ConcurrentDictionary<string, (string Code, string Message)> FailingVmSizes { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request seen: method and path (with query).</summary>
    public ConcurrentQueue<(string Method, string Path)> Requests { get; } = new();

    /// <summary>Called when a create completes (the simulated node of the pool joins here).</summary>
    public Func<JsonObject, Task>? PoolSucceeded { get; set; }

    /// <summary>Called when a pool is gone (its node leaves here).</summary>
    public Func<string, Task>? PoolDeleted { get; set; }

    public string PoolsPath => $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}/providers/Microsoft.ContainerService/managedClusters/{ClusterName}/agentPools";

    public void AddFault(ArmFault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    /// <summary>Keeps every operation InProgress until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _held = true;
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _held = false;
        }
    }

    public IReadOnlyList<string> PoolNames()
    {
        lock (_gate)
        {
            return [.. _pools.Keys.Order(StringComparer.Ordinal)];
        }
    }

    public JsonObject? Pool(string name)
    {
        lock (_gate)
        {
            return _pools.TryGetValue(name, out var pool) ? (JsonObject)pool.DeepClone() : null;
        }
    }

    public int Count(string method, string pathContains) =>
        Requests.Count(r => r.Method == method && r.Path.Contains(pathContains, StringComparison.Ordinal));

    /// <summary>A pool put there by someone else (another tool, or Kaito before a crash), already Succeeded.</summary>
    public void AddPool(string name, IReadOnlyDictionary<string, string> nodeLabels, string vmSize = "Standard_NC6s_v3")
    {
        var pool = NewPool(name, new JsonObject
        {
            ["vmSize"] = vmSize, ["count"] = 1, ["mode"] = "User",
            ["nodeLabels"] = new JsonObject([.. nodeLabels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]),
        });
        pool["properties"]!["provisioningState"] = "Succeeded";
        lock (_gate)
        {
            _pools[name] = pool;
        }
    }

    /// <summary>Deletes a pool behind the provisioner's back (a user in the portal, <c>az aks nodepool delete</c>).</summary>
    public async Task DeleteOutOfBandAsync(string name)
    {
        lock (_gate)
        {
            _pools.Remove(name);
        }

        if (PoolDeleted is { } deleted)
        {
            await deleted(name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _listener.Close();
        _stopping.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        Requests.Enqueue((request.HttpMethod, request.Url.PathAndQuery));
        Answer answer;
        try
        {
            answer = await RouteAsync(request, path);
        }
        catch (Exception ex)
        {
            answer = Error(500, "InternalServerError", ex.Message);
        }

        var response = context.Response;
        response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            response.Headers[name] = value;
        }

        if (answer.Body is { } body)
        {
            var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
        }

        response.Close();
    }

    private async Task<Answer> RouteAsync(HttpListenerRequest request, string path)
    {
        if (request.Headers["Authorization"] != "Bearer " + StaticTokenCredential.Token)
        {
            return Error(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
        }

        if (TakeFault(request.HttpMethod, request.Url!.PathAndQuery) is { } fault)
        {
            var answer = Error(fault.Status, fault.Code, fault.Message);
            return fault.RetryAfterSeconds is { } seconds ? answer with { Headers = [("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))] } : answer;
        }

        var apiVersion = request.QueryString["api-version"];
        if (path.StartsWith(PoolsPath, StringComparison.OrdinalIgnoreCase) || path.Contains("/Microsoft.ContainerService/locations/", StringComparison.OrdinalIgnoreCase))
        {
            if (apiVersion != ApiVersion)
            {
                return Error(400, "InvalidApiVersionParameter", $"The api-version '{apiVersion}' is invalid for this imitation; use {ApiVersion}.");
            }
        }

        if (path.Equals(PoolsPath, StringComparison.OrdinalIgnoreCase) && request.HttpMethod == "GET")
        {
            List<ImitationOperation> pending;
            lock (_gate)
            {
                pending = [.. _operations.Values.Where(o => o.Status == "InProgress")];
            }

            foreach (var waiting in pending)
            {
                await AdvanceAsync(waiting);
            }

            lock (_gate)
            {
                return new Answer(200, new JsonObject { ["value"] = new JsonArray([.. _pools.Values.Select(p => (JsonNode)p.DeepClone())]) });
            }
        }

        if (path.StartsWith(PoolsPath + "/", StringComparison.OrdinalIgnoreCase))
        {
            var name = path[(PoolsPath.Length + 1)..];
            return request.HttpMethod switch
            {
                "PUT" => await PutAsync(name, request),
                "GET" => await GetPoolAsync(name),
                "DELETE" => Delete(name),
                _ => Error(405, "MethodNotAllowed", request.HttpMethod),
            };
        }

        if (OperationPath().Match(path) is { Success: true } operation)
        {
            return await PollAsync(operation.Groups["id"].Value, operation.Groups["kind"].Value == "operationresults");
        }

        if (path.Equals($"/subscriptions/{SubscriptionId}/providers/Microsoft.Compute/skus", StringComparison.OrdinalIgnoreCase))
        {
            return new Answer(200, new JsonObject
            {
                ["value"] = new JsonArray([.. Skus.Select(s => (JsonNode)new JsonObject
                {
                    ["resourceType"] = "virtualMachines", ["name"] = s.Name, ["family"] = s.Family, ["locations"] = new JsonArray(Location),
                    ["capabilities"] = new JsonArray(new JsonObject { ["name"] = "vCPUs", ["value"] = s.VCpus.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
                    ["restrictions"] = s.Restriction is null ? new JsonArray() : new JsonArray(new JsonObject
                    {
                        ["type"] = "Location", ["values"] = new JsonArray(Location), ["reasonCode"] = s.Restriction,
                    }),
                })]),
            });
        }

        if (path.Equals($"/subscriptions/{SubscriptionId}/providers/Microsoft.Compute/locations/{Location}/usages", StringComparison.OrdinalIgnoreCase))
        {
            return new Answer(200, new JsonObject
            {
                ["value"] = new JsonArray([.. Usages.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => (JsonNode)new JsonObject
                {
                    ["unit"] = "Count", ["currentValue"] = u.Value.Current, ["limit"] = u.Value.Limit,
                    ["name"] = new JsonObject { ["value"] = u.Key, ["localizedValue"] = u.Key == "cores" ? "Total Regional vCPUs" : $"{u.Key} vCPUs" },
                })]),
            });
        }

        return Error(404, "NotFound", $"The imitation does not serve {request.HttpMethod} {path}");
    }

    private async Task<Answer> PutAsync(string name, HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = JsonNode.Parse(await reader.ReadToEndAsync()) as JsonObject;
        if (!PoolName().IsMatch(name))
        {
            return Error(400, "InvalidParameter", $"The agent pool name '{name}' is invalid: it must match ^[a-z][a-z0-9]{{0,11}}$.");
        }

        if (body?["properties"] is not JsonObject properties || properties["vmSize"]?.GetValue<string>() is not { } vmSize)
        {
            return Error(400, "InvalidParameter", "properties.vmSize is required.");
        }

        if (!Skus.Any(s => s.Name == vmSize))
        {
            return Error(400, "InvalidParameter", $"The value '{vmSize}' of parameter 'agentPoolProfile.vmSize' is invalid.");
        }

        lock (_gate)
        {
            if (_pools.TryGetValue(name, out var existing))
            {
                var state = existing["properties"]?["provisioningState"]?.GetValue<string>();
                if (state is "Creating" or "Deleting")
                {
                    return Error(409, "OperationNotAllowed", InProgressCreate);
                }
            }

            var pool = NewPool(name, (JsonObject)properties.DeepClone());
            pool["properties"]!["provisioningState"] = "Creating";
            _pools[name] = pool;
            var operation = Start(name, delete: false);
            return new Answer(201, (JsonObject)pool.DeepClone(), OperationHeaders(operation));
        }
    }

    private async Task<Answer> GetPoolAsync(string name)
    {
        ImitationOperation? pending;
        lock (_gate)
        {
            pending = _operations.Values.FirstOrDefault(o => o.Pool == name && o.Status == "InProgress");
        }

        if (pending is not null)
        {
            await AdvanceAsync(pending);
        }

        lock (_gate)
        {
            return _pools.TryGetValue(name, out var pool)
                ? new Answer(200, (JsonObject)pool.DeepClone())
                : Error(404, "NotFound", $"Agent pool '{name}' was not found in managed cluster '{ClusterName}'.");
        }
    }

    private Answer Delete(string name)
    {
        lock (_gate)
        {
            if (!_pools.TryGetValue(name, out var pool))
            {
                return new Answer(204, null);
            }

            pool["properties"]!["provisioningState"] = "Deleting";
            return new Answer(202, null, OperationHeaders(Start(name, delete: true)));
        }
    }

    private async Task<Answer> PollAsync(string id, bool location)
    {
        ImitationOperation? operation;
        lock (_gate)
        {
            if (!_operations.TryGetValue(id, out operation))
            {
                return Error(404, "NotFound", $"Operation {id} was not found.");
            }
        }

        await AdvanceAsync(operation);

        var retryAfter = RetryAfter();
        if (location)
        {
            return operation.Status switch
            {
                "InProgress" => new Answer(202, null, [("Location", OperationUri("operationresults", id)), retryAfter]),
                "Succeeded" => new Answer(operation.Delete ? 204 : 200, operation.Delete ? null : Pool(operation.Pool)),
                _ => Error(400, operation.ErrorCode ?? "Failed", operation.ErrorMessage ?? "failed"),
            };
        }

        var document = new JsonObject { ["id"] = OperationUri("operations", id), ["name"] = id, ["status"] = operation.Status, ["startTime"] = DateTimeOffset.UtcNow.ToString("O") };
        if (operation.ErrorCode is { } code)
        {
            document["error"] = new JsonObject { ["code"] = code, ["message"] = operation.ErrorMessage };
        }

        return new Answer(200, document, operation.Status == "InProgress" ? [retryAfter] : []);
    }

    /// <summary>
    /// One tick of an operation: a poll of it, or a GET of its pool (a pool finishes on its own in ARM, whoever asks).
    /// The hooks run outside the lock.
    /// </summary>
    private async Task AdvanceAsync(ImitationOperation operation)
    {
        JsonObject? finished = null;
        string? deleted = null;
        lock (_gate)
        {
            if (operation.Status == "InProgress" && !_held && --operation.PollsLeft < 0)
            {
                (finished, deleted) = Complete(operation);
            }
        }

        if (finished is not null && PoolSucceeded is { } succeeded)
        {
            await succeeded(finished);
        }

        if (deleted is not null && PoolDeleted is { } gone)
        {
            await gone(deleted);
        }
    }

    /// <summary>Under the lock: finishes an operation; returns the pool that joined or the name of the pool that left.</summary>
    private (JsonObject? Finished, string? Deleted) Complete(ImitationOperation operation)
    {
        if (operation.Delete)
        {
            _pools.Remove(operation.Pool);
            operation.Status = "Succeeded";
            return (null, operation.Pool);
        }

        if (!_pools.TryGetValue(operation.Pool, out var pool))
        {
            operation.Status = "Failed";
            (operation.ErrorCode, operation.ErrorMessage) = ("NotFound", $"Agent pool '{operation.Pool}' was deleted while it was being created.");
            return (null, null);
        }

        var vmSize = pool["properties"]!["vmSize"]!.GetValue<string>();
        if (FailingVmSizes.TryGetValue(vmSize, out var failure))
        {
            operation.Status = "Failed";
            (operation.ErrorCode, operation.ErrorMessage) = failure;
            pool["properties"]!["provisioningState"] = "Failed";
            return (null, null);
        }

        operation.Status = "Succeeded";
        pool["properties"]!["provisioningState"] = "Succeeded";
        return ((JsonObject)pool.DeepClone(), null);
    }

    private ImitationOperation Start(string pool, bool delete)
    {
        var operation = new ImitationOperation(Guid.NewGuid().ToString(), pool, delete, PollsUntilDone);
        _operations[operation.Id] = operation;
        return operation;
    }

    private (string, string)[] OperationHeaders(ImitationOperation operation) =>
    [
        ("Azure-AsyncOperation", OperationUri("operations", operation.Id)),
        ("Location", OperationUri("operationresults", operation.Id)),
        RetryAfter(),
    ];

    private (string, string) RetryAfter() => ("Retry-After", RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private string OperationUri(string kind, string id) =>
        $"{Endpoint}subscriptions/{SubscriptionId}/providers/Microsoft.ContainerService/locations/{Location}/{kind}/{id}?api-version={ApiVersion}";

    private JsonObject NewPool(string name, JsonObject properties) => new()
    {
        ["id"] = $"{PoolsPath}/{name}", ["name"] = name, ["type"] = "Microsoft.ContainerService/managedClusters/agentPools",
        ["properties"] = properties,
    };

    private ArmFault? TakeFault(string method, string path)
    {
        lock (_gate)
        {
            var fault = _faults.FirstOrDefault(f => f.Method == method && path.Contains(f.PathContains, StringComparison.Ordinal));
            if (fault is not null)
            {
                _faults.Remove(fault);
            }

            return fault;
        }
    }

    private static Answer Error(int status, string code, string message) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("^/subscriptions/[^/]+/providers/Microsoft.ContainerService/locations/[^/]+/(?<kind>operations|operationresults)/(?<id>[^/]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex OperationPath();

    [GeneratedRegex("^[a-z][a-z0-9]{0,11}$")]
    private static partial Regex PoolName();

    private sealed record Answer(int Status, JsonObject? Body, (string Name, string Value)[]? HeaderList = null)
    {
        public (string Name, string Value)[] Headers { get; init; } = HeaderList ?? [];
    }
}
