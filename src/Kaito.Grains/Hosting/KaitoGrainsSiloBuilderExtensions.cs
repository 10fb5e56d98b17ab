using Azure.Data.Tables;
using Kaito.Api.Catalog;
using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Ports;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kaito.Grains.Hosting;

public static class KaitoGrainsSiloBuilderExtensions
{
    public const string LogConsistencyProviderName = "KaitoEventLog";

    /// <summary>
    /// Adds the Workspace and Machine grains with their Azure Table event logs. The host still chooses the reminder
    /// service (<c>UseAzureTableReminderService</c> in production) and registers the ports: <c>IKubernetesObjectPort</c>,
    /// <c>INodeProvisioner</c>, <c>IWorkspaceStatusPublisher</c>, and optionally <c>IWorkspaceEventRecorder</c> (none: no
    /// Kubernetes Events).
    /// </summary>
    public static ISiloBuilder AddKaitoGrains(this ISiloBuilder builder, Action<KaitoGrainsOptions> configure,
        Action<MachineProvisioningOptions>? configureMachines = null)
    {
        builder.AddCustomStorageBasedLogConsistencyProvider(LogConsistencyProviderName);
        var services = builder.Services;
        services.AddOptions<KaitoGrainsOptions>().Configure(configure).ValidateOnStart();
        services.AddOptions<MachineProvisioningOptions>().Configure(o => configureMachines?.Invoke(o)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KaitoGrainsOptions>, KaitoGrainsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MachineProvisioningOptions>, MachineProvisioningOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => KaitoCatalog.LoadEmbedded());
        services.TryAddSingleton<IWorkspaceEventRecorder, NoWorkspaceEvents>();
        services.TryAddSingleton<IWorkspaceSpecRules>(sp => new CatalogWorkspaceSpecRules(sp.GetRequiredService<KaitoCatalog>()));
        services.TryAddSingleton(sp => CreateTable(sp, o => o.WorkspaceEventsTable, WorkspaceAggregate.Instance));
        services.TryAddSingleton(sp => CreateTable(sp, o => o.MachineEventsTable, MachineAggregate.Instance));
        return builder;
    }

    private static EventLogTable<TState, TEvent> CreateTable<TState, TEvent>(IServiceProvider services,
        Func<KaitoGrainsOptions, string> tableName, IAggregateDefinition<TState, TEvent> definition)
        where TState : class, new()
        where TEvent : class, IAggregateEvent
    {
        var options = services.GetRequiredService<IOptions<KaitoGrainsOptions>>().Value;
        var tables = options.TableServiceClient ?? new TableServiceClient(options.ConnectionString);
        return new EventLogTable<TState, TEvent>(
            tables.GetTableClient(tableName(options)),
            definition,
            options.SnapshotEvery,
            services.GetRequiredService<ILoggerFactory>().CreateLogger($"Kaito.Grains.EventLog.{definition.Kind}"));
    }
}
