using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// Registers the audit API (served when <c>Audit:Enabled</c>, the default), bound from <paramref name="section"/> and
    /// validated at start. Add it after the silo, whose grain factory answers the queries.
    /// </summary>
    public static IServiceCollection AddKaitoAuditApi(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<AuditOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>());
        services.TryAddSingleton(sp => new AuditQueries(sp.GetRequiredService<IGrainFactory>().GetGrain<IWorkspaceAuditGrain>(0)));
        services.AddHostedService<AuditServer>();
        return services;
    }
}
