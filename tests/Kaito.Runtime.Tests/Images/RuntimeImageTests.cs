using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kaito.Runtime.Tests.Support;
using Kaito.Testing;

namespace Kaito.Runtime.Tests.Images;

/// <summary>
/// The runtime and model images without Docker: the runtime's build stage replayed from deploy/images/runtime/Dockerfile
/// (the same COPY set under .dockerignore, the same publish command), the model image's weights copied as
/// deploy/images/model/Dockerfile copies them (into a folder standing for the image's root), then the ENTRYPOINT run
/// with both images' ENV, as the pod runs it. A file an image forgets to copy, a broken publish or an ENV the server
/// misreads fails here.
/// </summary>
public sealed class RuntimeImageTests
{
    [Fact]
    public async Task A_preset_image_on_the_cpu_runtime_image_builds_serves_its_weights_under_the_preset_name_and_stops_cleanly_on_sigterm()
    {
        var dockerfile = Dockerfile.Read(RepoPaths.Of("deploy", "images", "runtime", "Dockerfile"));
        Assert.Equal("cpu", dockerfile.Stages[^1].Name); // the default target

        var build = dockerfile["build"];
        var scratch = TestModelFiles.NewScratchDirectory();
        var source = Path.Combine(scratch, "src");
        var app = Path.Combine(scratch, "app");
        new DockerContext(RepoPaths.Root).Copy(build.ContextCopies, source);
        Assert.False(Directory.Exists(Path.Combine(source, "src", "Kaito.Runtime", "obj")), ".dockerignore keeps obj/ out of the context");
        var publish = build.ArgDefaults.Aggregate(build.Runs.Single(r => r.Contains("dotnet publish", StringComparison.Ordinal)), (run, arg) => run.Replace("${" + arg.Key + "}", arg.Value, StringComparison.Ordinal));
        publish = Regex.Replace(publish, @"-o /app\b", "-o " + app);
        var (published, publishOutput, publishErrors) = await ChildProcess.RunAsync("/bin/sh", ["-c", publish], source, TimeSpan.FromMinutes(5));
        Assert.True(published == 0, $"`{publish}` exited {published}:\n{publishOutput}{publishErrors}");

        // The model image: FROM the runtime image, its context a folder holding weights/.
        const string Preset = "phi-3-mini-4k-instruct";
        var model = Dockerfile.Read(RepoPaths.Of("deploy", "images", "model", "Dockerfile")).Stages.Single();
        var modelContext = Path.Combine(scratch, "model-context");
        new DockerContext(TestModelFiles.ModelDirectory).Copy([(["."], Path.Combine(modelContext, "weights"))], "/");
        var rootfs = Path.Combine(scratch, "rootfs");
        new DockerContext(modelContext).Copy(model.ContextCopies.Select(c => (c.Sources, rootfs + c.Destination)), "/");

        var image = dockerfile["cpu"];
        Assert.Equal("cpu", image.Environment["Runtime__ExecutionProvider"]);
        var environment = new Dictionary<string, string>(image.Environment);
        foreach (var (name, value) in model.Environment)
        {
            environment[name] = value.Replace("${PRESET}", Preset, StringComparison.Ordinal);
        }

        Assert.StartsWith("/", environment["Runtime__ModelDirectory"], StringComparison.Ordinal);
        environment["Runtime__ModelDirectory"] = rootfs + environment["Runtime__ModelDirectory"];
        environment["Runtime__AdapterDirectory"] = rootfs + environment["Runtime__AdapterDirectory"];
        environment["Runtime__Port"] = FreePort().ToString(CultureInfo.InvariantCulture);
        environment["Runtime__ListenAddress"] = "127.0.0.1";
        var entrypoint = image.Entrypoint;
        using var server = ChildProcess.Start(entrypoint[0], entrypoint[1..], app, environment);
        var output = new StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        server.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{environment["Runtime__Port"]}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitHealthyAsync(client, server, output);

            using var chat = await client.PostAsJsonAsync("/chat", new { prompt = "abc", generate_kwargs = new { do_sample = false } });
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
            Assert.Equal("abc" + TestModelFiles.AbcContinuation, (await chat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Result").GetString());
            var models = await client.GetFromJsonAsync<JsonElement>("/v1/models");
            Assert.Equal(Preset, models.GetProperty("data").EnumerateArray().Single().GetProperty("id").GetString());

            var (killed, _, _) = await ChildProcess.RunAsync("kill", ["-TERM", server.Id.ToString(CultureInfo.InvariantCulture)]);
            Assert.Equal(0, killed);
            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await server.WaitForExitAsync(stopped.Token);
            Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode} after SIGTERM:\n{output}");
            lock (output)
            {
                Assert.Contains("Execution provider cpu: CPU build (publish with -p:KaitoGpu=true for CUDA)", output.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task WaitHealthyAsync(HttpClient client, Process server, StringBuilder output)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (server.HasExited)
            {
                lock (output)
                {
                    Assert.Fail($"The server exited with {server.ExitCode} before it was healthy:\n{output}");
                }
            }

            try
            {
                using var health = await client.GetAsync("/healthz");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                lock (output)
                {
                    Assert.Fail($"The server was not healthy within 60 s:\n{output}");
                }
            }

            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
