using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Kaito.Grains.Bench;
using Kaito.Grains.EventLog;
using Kaito.Testing;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging.Abstractions;

// Three figures in one run against one Azurite: append throughput (grains vs raw batch inserts), activation time of a
// 10,000-event Workspace, managed heap per idle Workspace grain. Usage: dotnet run -c Release --project bench/Kaito.Grains.Bench
// Storage: KAITO_TEST_STORAGE, or an Azurite started by scripts/azurite/start.sh for this run.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var total = Stopwatch.StartNew();
var connection = await AzuriteStorage.GetConnectionStringAsync();
var tables = new TableServiceClient(connection);
Console.WriteLine($"Kaito.Grains bench: {Environment.ProcessorCount} cores, Azurite at {new Uri(tables.Uri.GetLeftPart(UriPartial.Authority))}");

// Each measurement gets its own silo and tables: Azurite scans a whole table for a range query, so rows left by one
// measurement would slow the next one down.
EventLogTable<WorkspaceState, WorkspaceEvent> LogFor(string tablePrefix) => new(
    tables.GetTableClient(tablePrefix + "WorkspaceEvents"), WorkspaceAggregate.Instance, snapshotEvery: 100, NullLogger.Instance);
var prefix = AzuriteStorage.NewTablePrefix();
var log = LogFor(prefix);
var cluster = await BenchSilo.StartAsync(connection, prefix);

// 1. Append throughput. A warm-up round each, then five measured rounds each, interleaved; the medians compare
//    (other work on a 2-core machine moves single rounds by +-30 %).
var append = new AppendThroughput(cluster.Client, tables, prefix, log.Codec);
await append.ThroughGrainsAsync(5);
await append.RawBatchInsertsAsync(5);
var grainRates = new List<double>();
var rawRates = new List<double>();
for (var round = 0; round < 5; round++)
{
    grainRates.Add(await append.ThroughGrainsAsync(30));
    rawRates.Add(await append.RawBatchInsertsAsync(30));
}

Console.WriteLine($"  append rounds done at {total.Elapsed.TotalSeconds:F0} s");
var grainRate = grainRates.Order().ElementAt(grainRates.Count / 2);
var rawRate = rawRates.Order().ElementAt(rawRates.Count / 2);
var ratio = grainRate / rawRate;

// 2. Activation of a 10,000-event Workspace.
await cluster.DisposeAsync();
prefix = AzuriteStorage.NewTablePrefix();
log = LogFor(prefix);
cluster = await BenchSilo.StartAsync(connection, prefix);
var activation = new ActivationTime(cluster, log);
await activation.SeedAsync("bench-activation/long");
Console.WriteLine($"  activation seed done at {total.Elapsed.TotalSeconds:F0} s");
var (times, rowsPerActivation) = await activation.MeasureAsync("bench-activation/long", 8);
var warm = times.Skip(1).Order().ToList();
var median = warm[warm.Count / 2];

// 3. Managed heap per idle (Ready, settled: no timer, no reminder) Workspace grain.
const int IdleGrains = 1000;
await cluster.DisposeAsync();
prefix = AzuriteStorage.NewTablePrefix();
log = LogFor(prefix);
cluster = await BenchSilo.StartAsync(connection, prefix);
var memory = new IdleMemory(cluster.Client, log);
await memory.SeedAsync(IdleGrains);
Console.WriteLine($"  idle seed done at {total.Elapsed.TotalSeconds:F0} s");
var bytesPerGrain = await memory.MeasureBytesPerGrainAsync(IdleGrains);
await cluster.DisposeAsync();

static string Verdict(bool ok) => ok ? "PASS" : "MISS";
Console.WriteLine();
Console.WriteLine($"append throughput ({AppendThroughput.Writers} writers x {AppendThroughput.EventsPerAppend} events per append):");
Console.WriteLine($"  through grains (median): {grainRate,8:F0} events/s  (rounds: {string.Join(", ", grainRates.Select(r => r.ToString("F0")))})");
Console.WriteLine($"  raw batch inserts:       {rawRate,8:F0} events/s  (rounds: {string.Join(", ", rawRates.Select(r => r.ToString("F0")))})");
Console.WriteLine($"  ratio grains/raw:        {ratio,8:F2}           target >= 0.70  {Verdict(ratio >= 0.7)}");
Console.WriteLine($"activation of a {ActivationTime.Events:N0}-event workspace (snapshot at {ActivationTime.Events / 100 * 100:N0}, the rest replayed):");
Console.WriteLine($"  median (warm):           {median,8:F1} ms        target < 50 ms  {Verdict(median < 50)}");
Console.WriteLine($"  first (cold JIT):        {times[0],8:F1} ms;  min {warm[0]:F1}, max {warm[^1]:F1} ms; {rowsPerActivation:F0} event rows read per activation");
Console.WriteLine($"memory per idle Workspace grain ({IdleGrains:N0} Ready workspaces activated):");
Console.WriteLine($"  managed heap:            {bytesPerGrain / 1024,8:F1} KB        target <= 20 KB {Verdict(bytesPerGrain <= 20 * 1024)}");
Console.WriteLine($"total bench time {total.Elapsed.TotalSeconds:F0} s");
