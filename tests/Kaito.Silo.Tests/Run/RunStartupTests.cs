using Kaito.Silo.Cli;
using Kaito.Silo.Run;

namespace Kaito.Silo.Tests.Run;

/// <summary>
/// <c>kaito run</c> refuses to start on a setting that cannot work, at once, with a message naming the setting. None of
/// these reach a real service: each fails before the host starts.
/// </summary>
public sealed class RunStartupTests : IDisposable
{
    private const string UnreachableStorage =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    private readonly string _folder = Directory.CreateTempSubdirectory("kaito-run-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Task<StartupException> StartFails(params string[] args) =>
        Assert.ThrowsAsync<StartupException>(() => RunCommand.StartAsync(args, null, CancellationToken.None, new Dictionary<string, string?>()));

    [Fact]
    public async Task Without_storage_it_names_the_flag_the_variable_and_the_key()
    {
        var ex = await StartFails("--kubeconfig", "/nonexistent");

        Assert.Contains("Storage is required", ex.Message);
        Assert.Contains("--storage, KAITO_STORAGE or \"Storage\" in the config file", ex.Message);
    }

    [Fact]
    public async Task A_kubeconfig_that_does_not_exist_is_named()
    {
        var ex = await StartFails("--storage", UnreachableStorage, "--kubeconfig", Path.Combine(_folder, "missing"));

        Assert.StartsWith("Kubeconfig: ", ex.Message);
        Assert.Contains("missing does not exist", ex.Message);
        Assert.Contains("--kubeconfig", ex.Message);
    }

    [Fact]
    public async Task An_unreadable_kubeconfig_is_named_with_the_reason()
    {
        var path = Path.Combine(_folder, "kubeconfig");
        await File.WriteAllTextAsync(path, "clusters: [this is: not: yaml");

        var ex = await StartFails("--storage", UnreachableStorage, "--kubeconfig", path);

        Assert.StartsWith($"Kubeconfig: {path} cannot be read", ex.Message);
    }

    [Fact]
    public async Task An_unreachable_api_server_stops_it_within_the_startup_timeout()
    {
        var path = Path.Combine(_folder, "kubeconfig");
        await File.WriteAllTextAsync(path, """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """);

        var ex = await StartFails("--storage", UnreachableStorage, "--kubeconfig", path, "--set", "StartupTimeout=00:00:03");

        Assert.StartsWith("Kubeconfig: the API server https://127.0.0.1:1", ex.Message);
        Assert.Contains("is unreachable", ex.Message);
    }

    [Fact]
    public async Task A_malformed_storage_connection_string_is_named()
    {
        var ex = await StartFails("--storage", "this is not a connection string", "--kubeconfig", "/nonexistent");

        Assert.StartsWith("Kubeconfig: ", ex.Message); // the kubeconfig is checked first: the earliest bad setting is reported
        ex = await Assert.ThrowsAsync<StartupException>(() => Task.FromResult(StorageConnection.Open("this is not a connection string", TimeSpan.FromSeconds(1))));
        Assert.StartsWith("Storage: the connection string is not valid", ex.Message);
    }

    [Fact]
    public async Task Bad_values_are_all_reported_at_once()
    {
        var ex = await StartFails("--clustering", "zookeeper", "--silo-port", "0", "--table-prefix", "1bad");

        Assert.Contains("Storage is required", ex.Message);
        Assert.Contains("Clustering must be localhost or azuretable, not \"zookeeper\"", ex.Message);
        Assert.Contains("SiloPort must be a TCP port (1-65535), not 0", ex.Message);
        Assert.Contains("TablePrefix must start with a letter", ex.Message);
    }

    [Fact]
    public async Task A_missing_config_file_and_a_wrongly_typed_setting_are_named()
    {
        var ex = await StartFails("--config", Path.Combine(_folder, "kaito.json"));
        Assert.Contains("kaito.json (--config) does not exist", ex.Message);

        var file = Path.Combine(_folder, "kaito.json");
        await File.WriteAllTextAsync(file, """{ "Storage": "x", "SiloPort": "eleven" }""");
        ex = await StartFails("--config", file);
        Assert.Contains("SiloPort", ex.Message);
    }

    [Theory]
    [InlineData("{ \"Storage\": ")]
    [InlineData("\u0000\u0001 binary garbage")]
    public async Task A_config_file_that_is_not_json_is_named_with_the_reason(string content)
    {
        var file = Path.Combine(_folder, "broken.json");
        await File.WriteAllTextAsync(file, content);

        var ex = await StartFails("--config", file);

        Assert.StartsWith($"The config file {file} (--config) cannot be read", ex.Message);
    }

    [Fact]
    public async Task Environment_and_flags_override_the_config_file_in_that_order()
    {
        var file = Path.Combine(_folder, "kaito.json");
        await File.WriteAllTextAsync(file, """{ "Storage": "from-file", "ClusterId": "file", "ServiceId": "file", "NodeProvisioner": { "Kind": "byo" } }""");

        var configuration = RunConfiguration.Read(["--config", file, "--cluster-id", "flag"],
            new Dictionary<string, string?> { ["KAITO_CLUSTERID"] = "env", ["KAITO_SERVICEID"] = "env", ["KAITO_NODEPROVISIONER__KIND"] = "nodeclaim", ["OTHER"] = "x" });

        Assert.Equal("from-file", configuration["Storage"]);
        Assert.Equal("flag", configuration["ClusterId"]);
        Assert.Equal("env", configuration["ServiceId"]);
        Assert.Equal("nodeclaim", configuration["NodeProvisioner:Kind"]);
        Assert.Null(configuration["OTHER"]);
    }

    [Fact]
    public void Unknown_flags_are_usage_errors_with_exit_code_2()
    {
        var stderr = new StringWriter();

        var code = KaitoCommand.Run(["run", "--storag", "x"], TextReader.Null, TextWriter.Null, stderr);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("unknown argument \"--storag\"", stderr.ToString());
    }

    [Fact]
    public void A_bad_setting_exits_1_with_the_message_on_stderr()
    {
        var stderr = new StringWriter();

        var code = KaitoCommand.Run(["run", "--kubeconfig", Path.Combine(_folder, "none"), "--storage", UnreachableStorage], TextReader.Null, TextWriter.Null, stderr);

        Assert.Equal(ExitCodes.Invalid, code);
        Assert.StartsWith("kaito run: Kubeconfig: ", stderr.ToString());
    }
}
