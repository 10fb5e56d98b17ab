using Azure.Messaging.ServiceBus;
using Kaito.Api.Catalog;
using Kaito.Api.Validation;
using Kaito.CrdBridge.Watching;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.ServiceBus;

public static class ServiceBusServiceCollectionExtensions
{
    /// <summary>
    /// With <c>ServiceBus:ConnectionString</c> set: the intake processor, and with <c>ServiceBus:StatusTopic</c> the status
    /// publisher around the one registered already. Nothing otherwise. Call after the Kubernetes ports are added.
    /// </summary>
    public static IServiceCollection AddKaitoServiceBus(this IServiceCollection services, IConfiguration section)
    {
        var options = section.Get<ServiceBusOptions>() ?? new ServiceBusOptions();
        if (!options.Enabled)
        {
            return services;
        }

        services.Configure<ServiceBusOptions>(section);
        services.TryAddSingleton(sp => new ServiceBusClient(sp.GetRequiredService<IOptions<ServiceBusOptions>>().Value.ConnectionString));
        services.TryAddSingleton(_ => KaitoCatalog.LoadEmbedded());
        services.TryAddSingleton<IWorkspaceRequestWriter, KubernetesWorkspaceRequestWriter>();
        services.TryAddSingleton(sp => new WorkspaceRequestHandler(sp.GetRequiredService<IWorkspaceRequestWriter>(), new WorkspaceValidator(sp.GetRequiredService<KaitoCatalog>())));
        services.AddHostedService<ServiceBusIntake>();
        if (!string.IsNullOrWhiteSpace(options.StatusTopic) && services.LastOrDefault(d => d.ServiceType == typeof(IWorkspaceStatusPublisher)) is { } existing)
        {
            services.Remove(existing);
            services.AddSingleton<IWorkspaceStatusPublisher>(sp => new ServiceBusStatusPublisher(
                Resolve(sp, existing),
                sp.GetRequiredService<ServiceBusClient>().CreateSender(options.StatusTopic),
                sp.GetRequiredService<WorkspaceObjectCache>()));
        }

        return services;
    }

    private static IWorkspaceStatusPublisher Resolve(IServiceProvider sp, ServiceDescriptor descriptor) => descriptor switch
    {
        { ImplementationInstance: IWorkspaceStatusPublisher instance } => instance,
        { ImplementationFactory: { } factory } => (IWorkspaceStatusPublisher)factory(sp),
        { ImplementationType: { } type } => (IWorkspaceStatusPublisher)ActivatorUtilities.CreateInstance(sp, type),
        _ => throw new InvalidOperationException("IWorkspaceStatusPublisher has no implementation"),
    };
}
