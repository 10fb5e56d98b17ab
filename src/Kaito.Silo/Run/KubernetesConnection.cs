using k8s;

namespace Kaito.Silo.Run;

/// <summary>Finds the cluster the way kubectl does and makes sure its API server answers before anything starts.</summary>
public static class KubernetesConnection
{
    public static KubernetesClientConfiguration Resolve(RunOptions options)
    {
        var path = options.Kubeconfig;
        var setting = RunSettings.Describe(nameof(RunOptions.Kubeconfig));
        if (string.IsNullOrWhiteSpace(path))
        {
            if (KubernetesClientConfiguration.IsInCluster())
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }

            path = Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } fromEnv
                ? fromEnv.Split(Path.PathSeparator)[0]
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
            setting = $"$KUBECONFIG or ~/.kube/config (or {setting})";
        }

        if (!File.Exists(path))
        {
            throw new StartupException($"Kubeconfig: {path} does not exist; not running in a cluster either. Set {setting}.");
        }

        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new StartupException($"Kubeconfig: {path} cannot be read: {ex.Message}. Set {setting}.", ex);
        }
    }

    /// <summary>Asks the API server for its version; throws <see cref="StartupException"/> naming the server when it does not answer in time.</summary>
    public static async Task<string> CheckReachableAsync(IKubernetes client, KubernetesClientConfiguration config, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var version = await client.Version.GetCodeAsync(deadline.Token);
            return version.GitVersion;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            var reason = ex is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : ex.Message;
            throw new StartupException(
                $"Kubeconfig: the API server {config.Host} is unreachable ({reason}); check {RunSettings.Describe(nameof(RunOptions.Kubeconfig))}.", ex);
        }
    }
}
