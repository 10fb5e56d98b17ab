using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using k8s;
using k8s.Models;
using Kaito.Api.Http;
using Kaito.ControlPlane.Bench;
using Kaito.Failover.Bench;
using Kaito.Grains.Workspaces;
using Kaito.Testing;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

// Active-active, measured, in one run on one local cluster (scripts/kube/start.sh; the kubelet simulated here) and
// Azurite:
//   1. three `kaito run` processes in one Orleans cluster (Azure Table membership, same service id and tables), N
//      quick-start Workspaces (bring-your-own nodes), all WORKSPACEREADY;
//   2. failover: the silo hosting the most Workspace grains is killed with SIGKILL; time until it is declared dead and
//      until every workspace it hosted answers GetState again from another silo; then events lost or doubled (event
//      rows before/after, versions contiguous) and Kubernetes objects created twice;
//   3. a kill during work: m = N/2 more Workspaces, a second silo killed once half of them are created; time until all
//      are Ready on the last silo, version gaps, once-only decisions logged twice, objects missing or twice;
//   4. floor: all silos stopped, one fresh silo (new cluster id, same tables, its watchers on an empty namespace so
//      that nothing activates the grains first); time until the same workspaces answer.
// Usage: dotnet run -c Release --project bench/Kaito.Failover.Bench [-- N]   (N workspaces, default 60)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
const int SiloCount = 3;
const int InFlight = 16;
const string Ns = "failover";
var deadline = TimeSpan.FromMinutes(5);
var target = TimeSpan.FromSeconds(5);
var total = Stopwatch.StartNew();
void Progress(string what) => Console.WriteLine($"  [{total.Elapsed.TotalSeconds,5:F0} s] {what}");
static string Verdict(bool ok) => ok ? "PASS" : "MISS";
static double Percentile(IReadOnlyList<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

var storageStarting = AzuriteStorage.GetConnectionStringAsync();
await using var cluster = await LocalCluster.StartAsync();
var storage = await storageStarting;
using var kube = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath), BufferedResponses.With());
var tables = new TableServiceClient(storage);
Console.WriteLine($"Kaito failover bench: {SiloCount} silos, {n} workspaces, {Environment.ProcessorCount} cores");

await using var simulator = new Kaito.NodeSimulator.NodeSimulator(kube);
simulator.Start();
var m = Math.Max(1, n / 2); // workspaces created around the second kill
await Parallel.ForEachAsync(Enumerable.Range(0, n + m), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (i, ct) =>
    await simulator.RegisterNodeAsync(BenchWorkspaces.Node(i), BenchWorkspaces.InstanceType,
        new Dictionary<string, string> { [BenchWorkspaces.NodeLabel] = BenchWorkspaces.Name(i) }, ct));
await kube.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
Progress($"cluster up, {n + m} GPU nodes registered");

var logs = RepoPaths.Of(".run", $"failover-bench-{Environment.ProcessId}");
Directory.CreateDirectory(logs);
var prefix = AzuriteStorage.NewTablePrefix();
var serviceId = "failover-" + Guid.NewGuid().ToString("N")[..8];
string[] RunArgs(string clusterId, bool installCrds, params string[] more) =>
[
    "--kubeconfig", cluster.KubeconfigPath, "--storage", storage, "--provisioner", "byo", "--clustering", "azuretable",
    "--advertised-address", "127.0.0.1",
    "--table-prefix", prefix, "--service-id", serviceId, "--cluster-id", clusterId, "--install-crds", installCrds ? "true" : "false",
    "--set", "Logging:LogLevel:Default=Warning", .. more,
];

var silos = new List<SiloProcess>();
IHost? clientHost = null;
try
{
    // 1. Three silos; the first installs the CRD, the others join it.
    silos.Add(SiloProcess.Start(RunArgs(serviceId, true), logs, "silo-0"));
    clientHost = await ClusterClient.ConnectAsync(tables, prefix, serviceId, serviceId, deadline);
    for (var i = 1; i < SiloCount; i++)
    {
        silos.Add(SiloProcess.Start(RunArgs(serviceId, false), logs, $"silo-{i}"));
    }

    var client = ClusterClient.Of(clientHost);
    var management = client.GetGrain<IManagementGrain>(0);
    for (var joining = Stopwatch.StartNew(); (await management.GetHosts(onlyActive: true)).Count < SiloCount; await Task.Delay(200))
    {
        if (joining.Elapsed > deadline || silos.Any(s => s.HasExited))
        {
            throw new InvalidOperationException($"the {SiloCount} silos did not all join; see {logs}");
        }
    }

    Progress($"{SiloCount} kaito run processes joined one cluster (logs: {logs})");

    await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (i, _) =>
        await BenchWorkspaces.CreateAsync(kube, Ns, BenchWorkspaces.Name(i)));
    var readyClock = Stopwatch.StartNew();
    while ((await BenchWorkspaces.ListAsync(kube, Ns)).Count(BenchWorkspaces.IsReady) < n)
    {
        if (readyClock.Elapsed > deadline)
        {
            throw new TimeoutException($"not all {n} workspaces WORKSPACEREADY within {deadline}");
        }

        await Task.Delay(500);
    }

    Progress($"all {n} WORKSPACEREADY in {readyClock.Elapsed.TotalSeconds:F1} s");
    var keys = (await BenchWorkspaces.ListAsync(kube, Ns)).Select(w => $"{Ns}/{w.Metadata.Name}/{w.Metadata.Uid}").ToHashSet(StringComparer.Ordinal);
    await Answers.AwaitAllAsync(client, keys, Stopwatch.StartNew(), deadline); // every grain active somewhere
    var eventsBefore = await StableEventsAsync();
    var objectsBefore = await OwnedObjects.TakeAsync(kube, Ns);

    // 2. Failover.
    var placement = await Placement.OfAsync(client, keys);
    int PortOf(string key) => placement[key][0].Endpoint.Port;
    var perSilo = silos.Select(s => placement.Keys.Count(k => placement[k].Any(a => a.Endpoint.Port == s.SiloPort))).ToList();
    var victim = silos[perSilo.IndexOf(perSilo.Max())];
    var hosted = placement.Keys.Where(k => PortOf(k) == victim.SiloPort).ToList();
    var warm = Stopwatch.StartNew();
    await Answers.AwaitAllAsync(client, hosted, warm, deadline);
    var warmTime = warm.Elapsed;
    Progress($"placement: {string.Join(", ", perSilo.Select((c, i) => $"silo-{i} {c}"))} of {n} active; "
        + $"{placement.Count(p => p.Value.Count > 1)} active in two places; killing silo-{silos.IndexOf(victim)} (SIGKILL)");

    var killed = Stopwatch.StartNew();
    victim.Kill();
    var declaredDead = Placement.DeclaredDeadAsync(client, victim.SiloPort, killed, deadline);
    var answers = await Answers.AwaitAllAsync(client, hosted, killed, deadline);
    var deadAt = await declaredDead;
    var failover = answers.Values.Max(a => a.At);
    var failoverLatencies = answers.Values.Select(a => a.At.TotalMilliseconds).Order().ToList();
    var answeredReady = answers.Values.Count(a => a.View.Phase == WorkspacePhase.Ready);
    Progress($"silo declared dead after {deadAt.TotalSeconds:F2} s; all {hosted.Count} of its workspaces answered after {failover.TotalSeconds:F2} s");

    var placementAfter = await Placement.OfAsync(client, keys);
    var twice = placementAfter.Count(p => p.Value.Count > 1);
    var onVictim = placementAfter.Count(p => p.Value.Any(a => a.Endpoint.Port == victim.SiloPort));
    var eventsAfter = await StableEventsAsync();
    var objectsAfter = await OwnedObjects.TakeAsync(kube, Ns);
    var lost = eventsAfter.LostSince(eventsBefore);
    var added = eventsAfter.NewSince(eventsBefore);
    var repeats = added.Count(a => a.Repeat);
    var extraObjects = objectsAfter.Extra;
    var recreated = objectsAfter.RecreatedSince(objectsBefore);

    // 3. A kill during work: m more Workspaces, the second silo killed once half of them are created; the last silo
    //    finishes them all. Events lost (gaps) or doubled (a once-only decision twice; objects twice) in their logs.
    var second = silos.Where(s => s != victim && !s.HasExited)
        .OrderByDescending(s => placementAfter.Values.Count(a => a.Any(x => x.Endpoint.Port == s.SiloPort))).First();
    var busyBefore = await EventLogSnapshot.ReadAsync(tables, prefix);
    var busyClock = Stopwatch.StartNew();
    var busyKilledAt = TimeSpan.Zero;
    for (var i = n; i < n + m; i++)
    {
        if (i == n + m / 2)
        {
            second.Kill();
            busyKilledAt = busyClock.Elapsed;
        }

        await BenchWorkspaces.CreateAsync(kube, Ns, BenchWorkspaces.Name(i));
    }

    Progress($"{m} more workspaces created; silo-{silos.IndexOf(second)} killed (SIGKILL) after {m / 2} of them");
    var readyAt = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
    while (true)
    {
        foreach (var w in (await BenchWorkspaces.ListAsync(kube, Ns)).Where(BenchWorkspaces.IsReady))
        {
            readyAt.TryAdd(w.Metadata.Name, busyClock.Elapsed - busyKilledAt);
        }

        if (readyAt.Count >= n + m)
        {
            break;
        }

        if (busyClock.Elapsed > deadline)
        {
            throw new TimeoutException($"not all {n + m} workspaces WORKSPACEREADY within {deadline} of the second kill");
        }

        await Task.Delay(500);
    }

    var busyReady = busyClock.Elapsed - busyKilledAt;
    var busyAfter = await StableEventsAsync();
    var busyAggregates = busyAfter.NewAggregatesSince(busyBefore);
    var busyObjects = await OwnedObjects.TakeAsync(kube, Ns);
    var busyLost = busyAfter.GapsIn(busyAggregates) + busyAfter.LostSince(busyBefore);
    var busyRepeats = busyAfter.RepeatedDecisionsIn(busyAggregates);
    var busyMissing = Enumerable.Range(n, m).Count(i => busyObjects.Objects.Values.Count(o => o.Workspace == BenchWorkspaces.Name(i)) < 3);
    var busyDoubled = busyRepeats + busyObjects.Extra + busyObjects.RecreatedSince(objectsAfter);
    Progress($"all {n + m} WORKSPACEREADY {busyReady.TotalSeconds:F1} s after the second kill");

    // 4. Floor: the same workspaces activating on a fresh silo that nothing else has asked yet.
    await ClusterClientStopAsync();
    await Task.WhenAll(silos.Where(s => s != victim).Select(s => s.StopAsync()));
    var floorCluster = serviceId + "-floor";
    silos.Add(SiloProcess.Start(RunArgs(floorCluster, false, "--set", "Bridge:Namespace=failover-floor-unwatched"), logs, "silo-floor"));
    clientHost = await ClusterClient.ConnectAsync(tables, prefix, serviceId, floorCluster, deadline);
    client = ClusterClient.Of(clientHost);
    var preActivated = (await Placement.OfAsync(client, keys)).Keys.Count(hosted.Contains);
    var fresh = Stopwatch.StartNew();
    var floorAnswers = await Answers.AwaitAllAsync(client, hosted, fresh, deadline);
    var floor = floorAnswers.Values.Max(a => a.At);
    var floorLatencies = floorAnswers.Values.Select(a => a.At.TotalMilliseconds).Order().ToList();
    Progress($"floor: {hosted.Count} workspaces answered from a fresh silo after {floor.TotalSeconds:F2} s");

    // The figures.
    var doubled = repeats + extraObjects + recreated;
    Console.WriteLine();
    Console.WriteLine($"{SiloCount} kaito run processes, {n} Ready workspaces; silo-{silos.IndexOf(victim)} killed with SIGKILL while hosting {hosted.Count} Workspace grains:");
    Console.WriteLine($"  those workspaces answering before the kill: {warmTime.TotalMilliseconds,8:F0} ms   (warm, all at once)");
    Console.WriteLine($"  killed silo declared dead:       {deadAt.TotalSeconds,8:F2} s   (membership: ProbeTimeout {Kaito.Silo.Run.SiloMembership.ProbeTimeout.TotalSeconds:F0} s, {Kaito.Silo.Run.SiloMembership.NumMissedProbesLimit} missed probes)");
    Console.WriteLine($"  every hosted workspace answers:  {failover.TotalSeconds,8:F2} s   p50 {Percentile(failoverLatencies, 0.5) / 1000,5:F2} s; "
        + $"{answeredReady}/{hosted.Count} answered Ready   target < {target.TotalSeconds:F0} s  {Verdict(failover < target && answeredReady == hosted.Count)}");
    Console.WriteLine($"  floor, same workspaces on a fresh silo: {floor.TotalSeconds,8:F2} s   p50 {Percentile(floorLatencies, 0.5) / 1000,5:F2} s "
        + $"({preActivated} already active by a reminder before the first call)");
    Console.WriteLine($"  ratio failover/floor:            {failover / floor,8:F1}");
    Console.WriteLine($"  each workspace active in one place after failover: {(twice == 0 && onVictim == 0 ? "yes" : $"NO ({twice} in two places, {onVictim} on the dead silo)")}");
    Console.WriteLine($"  events lost:    {lost,6}   ({eventsBefore.EventCount} committed events before the kill; missing, rewritten or a version gap after)   target 0  {Verdict(lost == 0)}");
    Console.WriteLine($"  events doubled: {doubled,6}   ({added.Count} events appended after the kill, {repeats} repeating one already logged; "
        + $"Kubernetes objects: {extraObjects} extra, {recreated} recreated of {objectsAfter.Objects.Count})   target 0  {Verdict(doubled == 0)}");
    foreach (var group in added.GroupBy(a => a.Event.Type).OrderByDescending(g => g.Count()))
    {
        Console.WriteLine($"    appended after the kill: {group.Key} x{group.Count()} (e.g. {group.First().Event.Summary})");
    }

    Console.WriteLine($"a second silo killed while {m} more workspaces were being created ({m / 2} created before the kill); one silo left:");
    Console.WriteLine($"  all {n + m} WORKSPACEREADY:          {busyReady.TotalSeconds,8:F2} s after the kill");
    foreach (var (half, range) in new[] { ("created before the kill", Enumerable.Range(n, m / 2)), ("created after it", Enumerable.Range(n + m / 2, m - m / 2)) })
    {
        var times = range.Select(i => readyAt[BenchWorkspaces.Name(i)].TotalSeconds).Order().ToList();
        Console.WriteLine($"    {half}: Ready p50 {Percentile(times, 0.5),6:F1} s, max {times[^1],6:F1} s after the kill; {times.Count(t => t > 10)} later than 10 s");
    }

    Console.WriteLine($"  events lost:    {busyLost,6}   (version gaps in the {busyAggregates.Count} new logs; earlier events missing or rewritten)   target 0  {Verdict(busyLost == 0)}");
    Console.WriteLine($"  events doubled: {busyDoubled,6}   (once-only decisions logged twice {busyRepeats}; Kubernetes objects {busyObjects.Extra} extra, "
        + $"{busyMissing} workspaces missing one)   target 0  {Verdict(busyDoubled == 0 && busyMissing == 0)}");
    Console.WriteLine($"total bench time {total.Elapsed.TotalSeconds:F0} s");
}
finally
{
    await ClusterClientStopAsync();
    foreach (var silo in silos)
    {
        await silo.DisposeAsync();
    }
}

// The event tables once two reads a second apart agree: the reconciles after Ready have settled.
async Task<EventLogSnapshot> StableEventsAsync()
{
    var last = await EventLogSnapshot.ReadAsync(tables, prefix);
    for (var settling = Stopwatch.StartNew(); settling.Elapsed < deadline;)
    {
        await Task.Delay(1000);
        var now = await EventLogSnapshot.ReadAsync(tables, prefix);
        if (now.LostSince(last) == 0 && now.NewSince(last).Count == 0)
        {
            return now;
        }

        last = now;
    }

    throw new TimeoutException($"the event tables did not settle within {deadline}");
}

async Task ClusterClientStopAsync()
{
    if (clientHost is not null)
    {
        await clientHost.StopAsync();
        clientHost.Dispose();
        clientHost = null;
    }
}
