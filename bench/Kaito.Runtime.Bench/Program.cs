using System.Diagnostics;
using System.Globalization;
using System.Net;
using Kaito.Runtime;
using Kaito.Runtime.Bench;
using Kaito.Runtime.Generation;
using Kaito.Runtime.TestModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// One run on one model: tokens/s through HTTP (streaming and not) vs the same work in-process (the Generator loop for
// one client, the batching engine for eight), the gain of eight batched clients over one, and the server's added time
// to first token. Modes are interleaved round by round so noise from other
// work on the machine hits them alike.
// Usage: dotnet run -c Release --project bench/Kaito.Runtime.Bench [hidden=768 layers=4 intra-op-threads=1 inline-sockets=true]
// The default model takes about 9 ms a token on one core of the 2-core development VM, the fast end of real
// deployments (a 3-4B preset on one A100 is 8-12 ms a token), so the ratios weigh the server's fixed cost per token
// as a user would feel it. `384 2` is a model ten times faster, where that fixed cost weighs ten times more; the
// bench prints the cost itself (server_added_ms_per_streamed_token) so it can be set against any model's speed.
var hidden = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 768;
var layers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
var threads = args.Length > 2 ? args[2] : "1";
var inline = args.Length > 3 ? args[3] : "true";
const int MaxTokens = 64;
const int Rounds = 12;
const int Clients = 8;
const int FirstTokenSamples = 60;

var directory = Path.Combine(Path.GetTempPath(), "kaito-bench", $"h{hidden}-l{layers}");
TinyModelBuilder.Write(directory, new TinyModelOptions(Hidden: hidden, Heads: 4, Layers: layers, ContextLength: 256));
var app = RuntimeApplication.Create([], builder =>
{
    builder.Configuration["Runtime:ModelDirectory"] = directory;
    builder.Configuration["Runtime:ModelName"] = "bench";
    builder.Configuration["Runtime:Port"] = "0";
    builder.Configuration["Runtime:ListenAddress"] = "127.0.0.1";
    builder.Configuration["Runtime:IntraOpThreads"] = threads;
    builder.Configuration["Runtime:InlineSocketScheduling"] = inline;
    builder.Configuration["Runtime:MaxConcurrentGenerations"] = Clients.ToString(CultureInfo.InvariantCulture);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
});
await app.StartAsync();
var host = app.Services.GetRequiredService<ModelHost>();
await host.WhenLoaded;
// The tiny model continues a newline with " !\"#..." up to '~', so every request generates the same MaxTokens tokens.
const string Prompt = "Tell me a story.\n";
var inProcess = new InProcessLoad(host.Loop!, host.Model!.Encode(Prompt));
var engineHost = app.Services.GetRequiredService<Kaito.Runtime.Generation.Engine.BatchingEngineHost>();
await engineHost.WhenReady;
var engine = new InProcessEngineLoad(engineHost.Engine ?? throw new InvalidOperationException($"No batching engine: {engineHost.Plan?.Reason}"), host.Model!.Encode(Prompt));
using var http = new HttpLoad(new IPEndPoint(IPAddress.Loopback, new Uri(app.Urls.First()).Port), Prompt);

for (var i = 0; i < 3; i++)
{
    inProcess.Run(MaxTokens);
    await engine.RunAsync(MaxTokens);
    await http.CompleteAsync(MaxTokens);
    await http.StreamAsync(MaxTokens);
}

var tokensPerRequest = inProcess.Run(MaxTokens).Tokens;
Console.WriteLine($"model: hidden {hidden}, {layers} layers, intra-op threads {threads}, inline sockets {inline}, {new FileInfo(Path.Combine(directory, "model.onnx")).Length / 1024} KiB; {tokensPerRequest} tokens per request; {Environment.ProcessorCount} cores");
Console.WriteLine($"batching: {engineHost.Plan!.Mode}, max batch size {engineHost.Plan.MaxBatchSize} ({engineHost.Plan.Reason})");

// Each round runs every mode back to back; a mode's ratio is the median of its tokens/s divided by the in-process
// tokens/s of the same turn, so load from other work on the machine cancels out.
var modes = new (string Name, int Clients, Func<Task<int>> Request)[]
{
    // In-process generations run on a thread-pool thread, as the server's do, so thread placement is alike.
    ("inproc_1", 1, () => Task.Run(() => inProcess.Run(MaxTokens).Tokens)),
    ("http_1", 1, () => http.CompleteAsync(MaxTokens)),
    ("stream_1", 1, async () => (await http.StreamAsync(MaxTokens)).Tokens),
    // Eight separate Generators in-process: what the server did before batching (for information).
    ("inproc_8", Clients, () => Task.Run(() => inProcess.Run(MaxTokens).Tokens)),
    ("engine_8", Clients, () => engine.RunAsync(MaxTokens)),
    ("http_8", Clients, () => http.CompleteAsync(MaxTokens)),
    ("stream_8", Clients, async () => (await http.StreamAsync(MaxTokens)).Tokens),
};
var samples = modes.ToDictionary(m => m.Name, _ => new List<double>());
int[][] groups = [[0, 1, 2], [3, 4, 5, 6]];

for (var round = 0; round < Rounds; round++)
{
    // The order within each group rotates and each mode starts after a full GC, so neither the garbage of the mode
    // before nor its place in the round favours a mode. A 1-client request is a few times shorter than an 8-client
    // one and noisier, so each round runs the 1-client group three times.
    for (var turn = 0; turn < 4; turn++)
    {
        var (group, shift) = turn < 3 ? (groups[0], (round * 3) + turn) : (groups[1], round);
        for (var i = 0; i < group.Length; i++)
        {
            var (name, clients, request) = modes[group[(i + shift) % group.Length]];
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var started = Stopwatch.GetTimestamp();
            var counts = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => request()));
            samples[name].Add(counts.Sum() / Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

double RatioOf(string mode, string baseline) => Median(samples[mode].Zip(samples[baseline], (m, b) => m / b));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"inproc_ms_per_token_1client={1000 / Median(samples["inproc_1"]):F3}"));
foreach (var (name, _, _) in modes)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}_tps_median={Median(samples[name]):F1}"));
}

void Ratio(string name, double value, double target) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}={value:F3} (target >= {target:F2}) {(value >= target ? "PASS" : "MISS")}"));
Ratio("nonstream_tps_ratio_1client", RatioOf("http_1", "inproc_1"), 0.95);
var streamRatio = RatioOf("stream_1", "inproc_1");
Ratio("stream_tps_ratio_1client", streamRatio, 0.95);
// Batching: eight HTTP clients against one (medians of each, as the rounds of the two groups differ), and against the
// same eight requests handed to the engine in-process (paired within a round).
Ratio("batching_gain_8clients_vs_1client_http", Median(samples["http_8"]) / Median(samples["http_1"]), 2.0);
Ratio("batching_gain_8clients_vs_1client_stream", Median(samples["stream_8"]) / Median(samples["stream_1"]), 2.0);
Ratio("nonstream_tps_ratio_8clients_vs_engine", RatioOf("http_8", "engine_8"), 0.9);
Ratio("stream_tps_ratio_8clients_vs_engine", RatioOf("stream_8", "engine_8"), 0.9);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"server_added_ms_per_streamed_token={1000 / Median(samples["inproc_1"]) * ((1 / streamRatio) - 1):F3} (1 client; HTTP ratio = t / (t + this) for a model taking t ms a token)"));

// Time to first token, interleaved: in-process (call -> first text) vs HTTP streaming (send -> first text chunk).
var local = new List<double>();
var remote = new List<double>();
for (var i = 0; i < FirstTokenSamples; i++)
{
    local.Add((await Task.Run(() => inProcess.Run(2))).FirstToken.TotalMilliseconds);
    remote.Add((await http.StreamAsync(2)).FirstToken.TotalMilliseconds);
}

var metrics = app.Services.GetRequiredService<Kaito.Runtime.Metrics.RuntimeMetrics>();
var (sum0, count0) = (metrics.TimeToFirstToken.Sum, metrics.TimeToFirstToken.Count);
var httpOnly = new List<double>();
for (var i = 0; i < FirstTokenSamples; i++)
{
    httpOnly.Add((await http.StreamAsync(2)).FirstToken.TotalMilliseconds);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server_ttft_avg_ms={(metrics.TimeToFirstToken.Sum - sum0) * 1000 / (metrics.TimeToFirstToken.Count - count0):F3} (handler start -> first token) client_ttft_avg_ms={httpOnly.Average():F3}"));
var roundTrips = new List<double>();
for (var i = 0; i < FirstTokenSamples; i++)
{
    roundTrips.Add((await http.HealthAsync()).TotalMilliseconds);
}

static double P50(List<double> values) => values.Order().ElementAt(values.Count / 2);
// Each HTTP sample follows its in-process twin, so the median of the pairs' differences cancels the machine's drift.
var added = P50(remote.Zip(local, (r, l) => r - l).ToList());
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ttft_p50_inproc_ms={P50(local):F3} ttft_p50_http_stream_ms={P50(remote):F3} (floor: GET /healthz round trip p50 {P50(roundTrips):F3} ms)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ttft_added_p50_ms={added:F3} (target <= 2.00) {(added <= 2 ? "PASS" : "MISS")}"));
await app.StopAsync();
