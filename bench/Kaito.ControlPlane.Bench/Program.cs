using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using k8s;
using k8s.Models;
using Kaito.Api.Catalog;
using Kaito.Api.Http;
using Kaito.ControlPlane.Bench;
using Kaito.CrdBridge.Watching;
using Kaito.Grains.Workspaces;
using Kaito.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The control plane against the same objects created directly, in one run on one local cluster (scripts/kube/start.sh:
// real etcd, kube-apiserver, controller-manager and scheduler; the kubelet simulated in this process):
//   1. baseline: N x (ControllerRevision, Service, Deployment) created with KubernetesClient, 16 workspaces in flight;
//   2. floor: the requests the issue requires of any implementation (Workspace create, finalizer, server-side applies
//      of the same three objects owned by the Workspace, one status write) sent directly, 16 in flight (FloorLoad);
//   3. kaito: `kaito run` in-process (BYO provisioner, default timings), N quick-start Workspaces created, 16 in flight,
//      each selecting its own ready GPU node; time until all N Deployments and Services exist, p50/p99 per workspace;
//   4. restart: once all are WORKSPACEREADY, a new silo over the same tables; time until it has re-observed them, and
//      proof that it wrote nothing (event rows, resourceVersions).
// Usage: dotnet run -c Release --project bench/Kaito.ControlPlane.Bench [-- N]   (N workspaces, default 200)
// KAITO_BENCH_AZURE_COUNTS=1 also prints the silo's Azure Table requests per workspace by method and table.
// Storage: KAITO_TEST_STORAGE, or an Azurite started by scripts/azurite/start.sh for this run.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
const int InFlight = 16;
const string BaselineNs = "baseline";
const string FloorNs = "floor";
const string KaitoNs = "kaito-bench";
var deadline = TimeSpan.FromMinutes(5);
var total = Stopwatch.StartNew();
void Progress(string what) => Console.WriteLine($"  [{total.Elapsed.TotalSeconds,5:F0} s] {what}");
static double Percentile(IReadOnlyList<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
static string Verdict(bool ok) => ok ? "PASS" : "MISS";

// Both phases start from a settled process: what start-up left for the collector and the finalizer (a silo's start
// leaves many dynamic methods behind) is dealt with before the clock runs, not charged to the phase that follows.
static void Settle()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
}

var storageStarting = AzuriteStorage.GetConnectionStringAsync();
await using var cluster = await LocalCluster.StartAsync();
var storage = await storageStarting;
var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath);
using var client = new Kubernetes(config, BufferedResponses.With());
var requests = new ApiRequestCounts(client, config.AccessToken);
var cpu = CpuMeter.For(cluster.StateDirectory, string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(AzuriteStorage.EnvironmentVariable))
    ? RepoPaths.Of(".run", $"azurite-test-{Environment.ProcessId}")
    : null);
Console.WriteLine($"Kaito control plane bench: {n} workspaces, {InFlight} in flight, {Environment.ProcessorCount} cores");

await using var simulator = new Kaito.NodeSimulator.NodeSimulator(client);
simulator.Start();
await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (i, ct) =>
{
    var name = BenchWorkspaces.Name(i);
    await simulator.RegisterNodeAsync(BenchWorkspaces.Node(i), BenchWorkspaces.InstanceType,
        new Dictionary<string, string> { [BenchWorkspaces.NodeLabel] = name }, ct);
});
await new Kaito.CrdBridge.Crds.CrdInstaller(client, TimeProvider.System).InstallAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
foreach (var ns in new[] { BaselineNs, FloorNs, KaitoNs })
{
    await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
}

Progress($"cluster up, {n} GPU nodes registered");

// 1. Baseline.
var catalog = KaitoCatalog.LoadEmbedded();
var baselineObjects = Enumerable.Range(0, n)
    .Select(i => BaselineLoad.Objects(catalog, BaselineNs, BenchWorkspaces.Name(i), BenchWorkspaces.Node(i)))
    .ToList();
Settle();
var clock = Stopwatch.StartNew();
var baselineStarted = new ConcurrentDictionary<string, TimeSpan>(StringComparer.Ordinal);
TimeSpan baselineTime;
List<double> baselineLatencies;
var requestsBefore = await requests.ReadAsync();
var cpuBefore = cpu.Read();
await using (var watch = await WorkloadWatch.StartAsync(client, BaselineNs, n, clock))
{
    var start = clock.Elapsed;
    await Parallel.ForEachAsync(baselineObjects, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (objects, _) =>
    {
        baselineStarted[objects[0].Metadata.Labels["kaito.sh/workspace"]] = clock.Elapsed;
        foreach (var obj in objects)
        {
            await BaselineLoad.CreateAsync(client, obj);
        }
    });
    await watch.WaitAllAsync(deadline);
    baselineTime = watch.Deployments.Values.Concat(watch.Services.Values).Max() - start;
    baselineLatencies = [.. watch.Deployments.Select(d => (d.Value - baselineStarted[d.Key]).TotalMilliseconds).Order()];
}

var baselineRequests = ApiRequestCounts.Delta(requestsBefore, await requests.ReadAsync());
var baselineCpu = CpuMeter.PerWorkspace(cpuBefore, cpu.Read(), n);
Progress($"baseline: {n} Deployments and Services in {baselineTime.TotalSeconds:F2} s");

// The baseline's pods hold the nodes' GPUs: delete the namespace and wait until the namespace controller and the
// garbage collector are done, so that the next phase starts on the same idle cluster with free nodes.
async Task DeleteNamespaceAsync(string ns)
{
    await client.CoreV1.DeleteNamespaceAsync(ns);
    for (var gone = Stopwatch.StartNew(); (await client.CoreV1.ListNamespaceAsync()).Items.Any(n => n.Metadata.Name == ns);)
    {
        if (gone.Elapsed > deadline)
        {
            throw new TimeoutException($"namespace {ns} not gone within {deadline}");
        }

        await Task.Delay(500);
    }

    // The controllers are still working off the deletion (the endpoints controller deletes the Endpoints of every
    // deleted Service, 200 requests, after the namespace is gone): wait until the cluster is quiet, so the next phase
    // does not pay for it.
    var quiet = Stopwatch.StartNew();
    await requests.WaitQuietAsync(quiet, deadline);
    Progress($"namespace {ns} deleted; cluster quiet after {quiet.Elapsed.TotalSeconds:F0} s");
}

await DeleteNamespaceAsync(BaselineNs);

// 2. The floor.
Settle();
TimeSpan floorTime;
requestsBefore = await requests.ReadAsync();
cpuBefore = cpu.Read();
await using (var watch = await WorkloadWatch.StartAsync(client, FloorNs, n, clock))
{
    var start = clock.Elapsed;
    await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (i, _) =>
        await FloorLoad.RunAsync(client, catalog, FloorNs, BenchWorkspaces.Name(i), BenchWorkspaces.Node(i)));
    await watch.WaitAllAsync(deadline);
    floorTime = watch.Deployments.Values.Concat(watch.Services.Values).Max() - start;
}

var floorRequests = ApiRequestCounts.Delta(requestsBefore, await requests.ReadAsync());
var floorCpu = CpuMeter.PerWorkspace(cpuBefore, cpu.Read(), n);
Progress($"floor: {n} Deployments and Services in {floorTime.TotalSeconds:F2} s");
await FloorLoad.ReleaseAsync(client, FloorNs);
await DeleteNamespaceAsync(FloorNs);

// 3. The control plane.
using var azure = AzureRequestCounts.Wanted ? new AzureRequestCounts() : null;
azure?.Enable();
var silo = new KaitoSilo(cluster.KubeconfigPath, storage);
var host = await silo.StartAsync();
Settle();
Progress("kaito run started");
var created = new ConcurrentDictionary<string, TimeSpan>(StringComparer.Ordinal);
TimeSpan kaitoTime;
TimeSpan kaitoStart;
List<double> latencies;
requestsBefore = await requests.ReadAsync();
cpuBefore = cpu.Read();
var gcBefore = GcStats.Read();
await using (var watch = await WorkloadWatch.StartAsync(client, KaitoNs, n, clock))
{
    var start = kaitoStart = clock.Elapsed;
    await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (i, _) =>
    {
        var name = BenchWorkspaces.Name(i);
        await BenchWorkspaces.CreateAsync(client, KaitoNs, name);
        created[name] = clock.Elapsed;
    });
    await watch.WaitAllAsync(deadline);
    kaitoTime = watch.Deployments.Values.Concat(watch.Services.Values).Max() - start;
    latencies = [.. watch.Deployments.Select(d => (d.Value - created[d.Key]).TotalMilliseconds).Order()];
}

Progress($"kaito: {n} Deployments and Services in {kaitoTime.TotalSeconds:F2} s");
var kaitoRequests = ApiRequestCounts.Delta(requestsBefore, await requests.ReadAsync());
var kaitoCpu = CpuMeter.PerWorkspace(cpuBefore, cpu.Read(), n);
var kaitoAzure = azure?.Read();
var kaitoGc = GcStats.Since(gcBefore);

// 4. All Ready, then a restart over the same tables.
var readyWatch = Stopwatch.StartNew();
while ((await BenchWorkspaces.ListAsync(client, KaitoNs)).Count(BenchWorkspaces.IsReady) < n)
{
    if (readyWatch.Elapsed > deadline)
    {
        throw new TimeoutException($"not all {n} workspaces WORKSPACEREADY within {deadline}");
    }

    await Task.Delay(500);
}

var allReadyAt = clock.Elapsed;
await KaitoSilo.StopAsync(host);
Progress($"all {n} WORKSPACEREADY; silo stopped");
var tables = new TableServiceClient(storage);
var rowsBefore = await EventRows.ReadAsync(tables, silo.TablePrefix);
var objectsBefore = await ClusterSnapshot.TakeAsync(client, KaitoNs);
requestsBefore = await requests.ReadAsync();

var restart = Stopwatch.StartNew();
host = await silo.StartAsync();
var siloStarted = restart.Elapsed;
await host.Services.GetRequiredService<WorkspaceWatcher>().Synced.WaitAsync(deadline);
var listed = restart.Elapsed;
var grains = host.Services.GetRequiredService<IGrainFactory>();
var uids = (await BenchWorkspaces.ListAsync(client, KaitoNs)).Select(w => $"{KaitoNs}/{w.Metadata.Name}/{w.Metadata.Uid}").ToList();
var views = await Task.WhenAll(uids.Select(key => grains.GetGrain<IWorkspaceGrain>(key).GetState()));
var reObserved = restart.Elapsed;
var readyGrains = views.Count(v => v.Phase == WorkspacePhase.Ready);

// The workload watches' first lists poke every workspace once more (a reconcile that reads its Deployment and pods and
// its status): wait until the API server's request counts stand still for 2 s, then look for writes.
var (last, settledAt) = await requests.WaitQuietAsync(restart, deadline);

var restartRequests = ApiRequestCounts.Delta(requestsBefore, last);
var rowsAfter = await EventRows.ReadAsync(tables, silo.TablePrefix);
var objectsAfter = await ClusterSnapshot.TakeAsync(client, KaitoNs);
await KaitoSilo.StopAsync(host);
var changedRows = rowsAfter.ChangedSince(rowsBefore);
var changedObjects = objectsAfter.ChangedSince(objectsBefore);
var writes = changedRows + changedObjects.Values.Sum();

// The figures.
static string Requests(Dictionary<string, double> counts, int per) => string.Join(", ", counts
    .Where(kv => !kv.Key.StartsWith("WATCH", StringComparison.Ordinal) && !kv.Key.EndsWith(' '))
    .OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value / per:F1}"));
var ratio = kaitoTime / baselineTime;
Console.WriteLine();
Console.WriteLine($"{n} workspaces, {InFlight} in flight; time from the first create to all {n} Deployments and {n} Services existing:");
Console.WriteLine($"  baseline (KubernetesClient):   {baselineTime.TotalSeconds,8:F2} s   per workspace first create -> Deployment p50 {Percentile(baselineLatencies, 0.5),6:F0} ms, p99 {Percentile(baselineLatencies, 0.99),6:F0} ms");
Console.WriteLine($"  kaito (Workspaces):            {kaitoTime.TotalSeconds,8:F2} s   per workspace create -> Deployment p50 {Percentile(latencies, 0.5),6:F0} ms, p99 {Percentile(latencies, 0.99),6:F0} ms");
Console.WriteLine($"  floor (required requests only):{floorTime.TotalSeconds,8:F2} s   ratio floor/baseline {floorTime / baselineTime:F2}: no implementation of the issue gets below this here");
Console.WriteLine($"  ratio kaito/baseline:          {ratio,8:F2}     target <= 1.5  {Verdict(ratio <= 1.5)}   (kaito/floor {kaitoTime / floorTime:F2})");
Console.WriteLine($"  kaito, all WORKSPACEREADY:      {(allReadyAt - kaitoStart).TotalSeconds,8:F2} s   (seen by polling the list every 0.5 s)");
Console.WriteLine($"  CPU ms per workspace, baseline: {baselineCpu}");
Console.WriteLine($"  CPU ms per workspace, floor: {floorCpu}");
Console.WriteLine($"  CPU ms per workspace, kaito until all exist: {kaitoCpu}");
Console.WriteLine($"  API requests per workspace, baseline (all clients): {Requests(baselineRequests, n)}");
Console.WriteLine($"  API requests per workspace, floor (all clients): {Requests(floorRequests, n)}");
Console.WriteLine($"  API requests per workspace, kaito until all exist (all clients): {Requests(kaitoRequests, n)}");
Console.WriteLine($"  garbage collection in this process, kaito until all exist: {kaitoGc}");
if (kaitoAzure is not null)
{
    Console.WriteLine($"  Azure Table requests per workspace, kaito start until all exist: {string.Join(", ", kaitoAzure.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value / n:F2}"))}");
}

Console.WriteLine($"restart of the silo over the same tables with {n} Ready workspaces:");
Console.WriteLine($"  silo started (host up):        {siloStarted.TotalSeconds,8:F2} s");
Console.WriteLine($"  Workspaces listed and applied: {listed.TotalSeconds,8:F2} s   (the bridge's first list delivered: every grain activated, ApplySpec answered)");
Console.WriteLine($"  re-observed {readyGrains}/{n} Ready:       {reObserved.TotalSeconds,8:F2} s   (then every grain's GetState answered Ready)");
Console.WriteLine($"  workload pokes settled:        {settledAt.TotalSeconds,8:F2} s   (API request counts still for 2 s after)");
Console.WriteLine($"  API requests per workspace during the restart (all clients): {Requests(restartRequests, n)}");
Console.WriteLine($"  writes after restart:          {writes,8}     event rows new/changed {changedRows} of {rowsAfter.Count}; objects changed "
    + $"{(changedObjects.Count == 0 ? "none" : string.Join(", ", changedObjects.Select(kv => $"{kv.Key} {kv.Value}")))} of {objectsAfter.Versions.Count}  "
    + Verdict(writes == 0 && readyGrains == n));
Console.WriteLine($"total bench time {total.Elapsed.TotalSeconds:F0} s");
