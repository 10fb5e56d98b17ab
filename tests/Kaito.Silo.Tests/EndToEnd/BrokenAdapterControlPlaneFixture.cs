using System.Reflection;
using Kaito.NodeSimulator.LocalRuntimes;
using Kaito.Runtime.TestModel;

namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>
/// The control plane with the NodeClaim provisioner and a real Kaito.Runtime behind each inference pod (tiny model),
/// every runtime given an adapter folder it cannot load (<see cref="AdapterName"/>, holding no adapter files): each
/// start fails, as a pod whose adapter image is broken does.
/// </summary>
public sealed class BrokenAdapterControlPlaneFixture : ControlPlaneFixture
{
    public const string AdapterName = "tuned";

    private readonly string _folder = Directory.CreateTempSubdirectory("kaito-e2e-runtime-").FullName;

    /// <summary>The folder the runtimes cannot load as an adapter.</summary>
    public string AdapterFolder => Path.Combine(_folder, "adapters", AdapterName);

    protected override string Provisioner => "nodeclaim";

    protected override LocalRuntimeOptions SimulatorRuntimes => new()
    {
        ModelDirectory = TinyModelBuilder.Write(Path.Combine(_folder, "model")),
        AdapterDirectory = Directory.CreateDirectory(AdapterFolder).Parent!.FullName,
        Command = [RuntimeApphost()],
        StateDirectory = Path.Combine(_folder, "kubelet"),
        InitialBackoff = TimeSpan.FromSeconds(1),
    };

    protected override async Task PrepareClusterAsync() =>
        await Cluster.KubectlAsync("apply", "-f", RepoPaths.Of("deploy", "dev", "karpenter-crds.yaml"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>src/Kaito.Runtime's build for this configuration (the test project builds it first).</summary>
    private static string RuntimeApphost() =>
        typeof(BrokenAdapterControlPlaneFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "KaitoRuntimeApphost").Value
        ?? throw new InvalidOperationException("KaitoRuntimeApphost metadata missing");
}
