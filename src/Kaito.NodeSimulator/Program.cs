using System.Runtime.InteropServices;
using k8s;
using Kaito.Api.Http;
using Kaito.NodeSimulator;
using Kaito.NodeSimulator.CommandLine;
using Microsoft.Extensions.Logging;

SimulatorCommandLine arguments;
try
{
    arguments = SimulatorCommandLine.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message + Environment.NewLine + SimulatorCommandLine.Usage);
    return 2;
}

if (arguments.Help)
{
    Console.WriteLine(SimulatorCommandLine.Usage);
    return 0;
}

using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(arguments.Kubeconfig), BufferedResponses.With());
await using var simulator = new NodeSimulator(client, arguments.Options, loggers.CreateLogger<NodeSimulator>());
using var stop = new CancellationTokenSource();

// SIGINT and SIGTERM stop the simulator gracefully: the runtime processes it started are stopped with it.
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

foreach (var node in arguments.ByoNodes)
{
    await simulator.RegisterNodeAsync(node.Name, node.InstanceType, node.Labels, stop.Token);
}

await simulator.RunAsync(stop.Token);
return 0;
