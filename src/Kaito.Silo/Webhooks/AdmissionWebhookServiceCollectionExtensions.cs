using Kaito.Api.Catalog;
using Kaito.Api.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.Webhooks;

public static class AdmissionWebhookServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Workspace admission webhooks (served only when <c>Webhook:Enabled</c>), bound from
    /// <paramref name="section"/> and validated at start; the rules use the same catalog as the grains. Needs <c>IKubernetes</c>.
    /// </summary>
    public static IServiceCollection AddKaitoAdmissionWebhooks(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<AdmissionWebhookOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdmissionWebhookOptions>, AdmissionWebhookOptionsValidator>());
        services.TryAddSingleton(_ => KaitoCatalog.LoadEmbedded());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new WorkspaceAdmission(new WorkspaceValidator(sp.GetRequiredService<KaitoCatalog>())));
        services.AddHostedService<AdmissionWebhookServer>();
        return services;
    }
}
