using Azure;
using Azure.Core;
using Azure.Data.Tables;

namespace Kaito.Silo.Run;

/// <summary>Opens the Azure Table service of the Storage setting and makes sure it answers before anything starts.</summary>
public static class StorageConnection
{
    public static TableServiceClient Open(string connectionString, TimeSpan timeout)
    {
        var options = new TableClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.NetworkTimeout = timeout;
        try
        {
            return new TableServiceClient(connectionString, options);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new StartupException($"Storage: the connection string is not valid ({ex.Message}); set {RunSettings.Describe(nameof(RunOptions.Storage))}.", ex);
        }
    }

    public static async Task CheckReachableAsync(TableServiceClient tables, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: deadline.Token).AsPages())
            {
                break;
            }
        }
        catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException or AggregateException or InvalidOperationException
            && !cancellationToken.IsCancellationRequested)
        {
            var reason = ex is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : ex.Message.Split('\n')[0];
            throw new StartupException($"Storage: the table service {tables.Uri} is unreachable ({reason}); check {RunSettings.Describe(nameof(RunOptions.Storage))}.", ex);
        }
    }
}
