using Kaito.CrdBridge.Events;
using Kaito.CrdBridge.Hosting;
using Kaito.CrdBridge.Manifests;
using Kaito.CrdBridge.Objects;
using Kaito.CrdBridge.Provisioning;
using Kaito.Silo.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kaito.Silo.Run;

/// <summary>
/// The real implementations of the grains' ports and the bridge's watchers, each configured from its own section:
/// <c>Bridge</c> (watches, status), <c>Manifests</c> (images), <c>NodeProvisioner</c> (NodeClaim, Machine or Byo); and
/// the Kubernetes Events on Workspaces.
/// </summary>
public static class KaitoPorts
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.AddKaitoObjectPort(configuration.GetSection(ManifestOptions.SectionName));
        services.AddKaitoNodeProvisioner(configuration.GetSection(NodeProvisionerOptions.SectionName));
        services.AddKaitoCrdBridge(o => configuration.GetSection("Bridge").Bind(o));
        services.AddKaitoEventRecorder();
        services.AddKaitoServiceBus(configuration.GetSection(ServiceBusOptions.SectionName));
    }
}
