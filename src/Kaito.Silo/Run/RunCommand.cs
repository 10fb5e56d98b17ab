using k8s;
using Kaito.Api.Http;
using Kaito.CrdBridge.Crds;
using Kaito.Silo.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.Run;

/// <summary><c>kaito run</c>: checks every setting, installs the CRD, then hosts the control plane until SIGTERM.</summary>
public static class RunCommand
{
    public const string Usage = """
        Usage: kaito run [--config FILE] [--kubeconfig PATH] [--storage CONNECTION-STRING] [--provisioner nodeclaim|machine|byo|agentpool]
                         [--clustering localhost|azuretable] [--silo-port N] [--gateway-port N] [--service-id ID] [--cluster-id ID]
                         [--table-prefix PREFIX] [--install-crds true|false] [--set KEY=VALUE]...
                         [--webhook true|false] [--webhook-port N] [--webhook-mode url|service] [--webhook-cert-dir DIR]
                         [--audit true|false] [--audit-url http://ADDRESS:PORT] [--audit-token TOKEN]
                         [--aks-subscription ID --aks-resource-group RG --aks-cluster NAME --aks-location REGION]  (agentpool)
                         [--servicebus CONNECTION-STRING] [--servicebus-queue NAME] [--servicebus-status-topic NAME]
          Hosts the control plane: the Workspace and Machine grains (event log on Azure Table storage) and the
          Kubernetes bridge (watches Workspaces and cluster objects, writes status, applies workloads, provisions nodes).
          With --webhook true it also serves the Workspace admission webhooks over HTTPS and registers them
          (docs/kubernetes.md, "Admission webhooks"). With --servicebus it also takes Workspace requests from a Service
          Bus queue and publishes status changes to a topic (docs/servicebus.md). The read-only audit API listens on
          --audit-url (http://127.0.0.1:8089; any other address needs --audit-token) (docs/audit.md).

          Settings come from the JSON file of --config, then KAITO_* environment variables (KAITO_STORAGE,
          KAITO_KUBECONFIG, KAITO_NODEPROVISIONER__KIND, nested keys with "__"), then flags; later wins. --set sets any key,
          e.g. --set Machines:MaxAttempts=3. Without --kubeconfig: in-cluster config in a pod, else $KUBECONFIG or
          ~/.kube/config. A missing or unreachable setting stops it at once with a message naming the setting (exit 1).
          Stops cleanly on SIGTERM or Ctrl+C.
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            stdout.WriteLine(Usage);
            return ExitCodes.Ok;
        }

        IHost host;
        try
        {
            host = StartAsync(args, null, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (StartupException ex)
        {
            stderr.WriteLine($"kaito run: {ex.Message}");
            return ExitCodes.Invalid;
        }

        using (host)
        {
            host.WaitForShutdown();
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// Checks the settings, installs the CRD and starts the host; for tests, <paramref name="configureServices"/> adds or
    /// replaces services and <paramref name="kubernetesHandlers"/> sit in front of every request to the API server.
    /// </summary>
    public static async Task<IHost> StartAsync(IReadOnlyList<string> args, Action<IServiceCollection>? configureServices, CancellationToken cancellationToken,
        IDictionary<string, string?>? environment = null, params DelegatingHandler[] kubernetesHandlers)
    {
        var configuration = RunConfiguration.Read(args, environment);
        var options = new RunOptions();
        try
        {
            configuration.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new StartupException($"A setting has the wrong type: {ex.Message} {ex.InnerException?.Message}".TrimEnd(), ex);
        }

        var validation = new RunOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new StartupException(string.Join(Environment.NewLine, validation.Failures));
        }

        var kubeconfig = KubernetesConnection.Resolve(options);
        var kubernetes = new Kubernetes(kubeconfig, BufferedResponses.With(kubernetesHandlers));
        var tables = StorageConnection.Open(options.Storage!, options.StartupTimeout);
        try
        {
            await KubernetesConnection.CheckReachableAsync(kubernetes, kubeconfig, options.StartupTimeout, cancellationToken);
            await StorageConnection.CheckReachableAsync(tables, options.StartupTimeout, cancellationToken);
            if (options.InstallCrds)
            {
                await new CrdInstaller(kubernetes, TimeProvider.System).InstallAsync(options.StartupTimeout, cancellationToken);
            }

            var host = KaitoSiloHost.Build(configuration, options, tables, kubernetes, configureServices);
            try
            {
                await host.StartAsync(cancellationToken);
            }
            catch (OptionsValidationException ex)
            {
                host.Dispose();
                throw new StartupException(string.Join(Environment.NewLine, ex.Failures), ex);
            }
            catch (StartupException)
            {
                host.Dispose();
                throw;
            }

            return host;
        }
        catch
        {
            kubernetes.Dispose();
            throw;
        }
    }
}
