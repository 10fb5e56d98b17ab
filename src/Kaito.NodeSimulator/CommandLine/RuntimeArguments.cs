using Kaito.NodeSimulator.LocalRuntimes;

namespace Kaito.NodeSimulator.CommandLine;

/// <summary>The <c>--serve-runtime</c> flags while they are parsed; <see cref="ToOptions"/> checks them together.</summary>
internal sealed class RuntimeArguments
{
    public bool Serve { get; set; }

    public string? Model { get; set; }

    public IReadOnlyList<string>? Command { get; set; }

    public string? LogDirectory { get; set; }

    public string? StateDirectory { get; set; }

    public TimeSpan? Backoff { get; set; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Null without <c>--serve-runtime</c>; the other runtime flags need it.</summary>
    public LocalRuntimeOptions? ToOptions()
    {
        if (!Serve)
        {
            return Model is null && Command is null && LogDirectory is null && StateDirectory is null && Backoff is null && Environment.Count == 0
                ? null
                : throw new ArgumentException("the --runtime-* flags need --serve-runtime");
        }

        var model = Model ?? throw new ArgumentException("--serve-runtime needs --runtime-model DIR (the GenAI model folder to serve)");
        if (!File.Exists(Path.Combine(model, "genai_config.json")))
        {
            throw new ArgumentException($"--runtime-model {model}: no genai_config.json there");
        }

        var command = Command is { Count: > 0 } ? Command : [BuiltRuntimeBesideSimulator()];
        return new LocalRuntimeOptions
        {
            ModelDirectory = Path.GetFullPath(model),
            Command = command,
            LogDirectory = LogDirectory is null ? null : Path.GetFullPath(LogDirectory),
            StateDirectory = StateDirectory is null ? null : Path.GetFullPath(StateDirectory),
            InitialBackoff = Backoff ?? TimeSpan.FromSeconds(10),
            Environment = Environment,
        };
    }

    /// <summary>In the repository, <c>src/Kaito.Runtime/bin/&lt;config&gt;/&lt;tfm&gt;/Kaito.Runtime</c> beside this build of the simulator.</summary>
    private static string BuiltRuntimeBesideSimulator()
    {
        var build = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = build.Parent;
        var src = configuration?.Parent?.Parent?.Parent;
        var apphost = src is null ? null : Path.Combine(src.FullName, "Kaito.Runtime", "bin", configuration!.Name, build.Name, "Kaito.Runtime");
        return apphost is not null && File.Exists(apphost)
            ? apphost
            : throw new ArgumentException("--serve-runtime: no Kaito.Runtime build beside the simulator (dotnet build src/Kaito.Runtime), or pass --runtime-command");
    }
}
