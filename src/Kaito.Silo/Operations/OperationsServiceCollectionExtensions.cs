using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.Operations;

public static class OperationsServiceCollectionExtensions
{
    /// <summary>Registers the operations endpoint (<c>/metrics</c>, <c>/healthz</c>), bound from <paramref name="section"/> and validated at start.</summary>
    public static IServiceCollection AddKaitoOperations(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<OperationsOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OperationsOptions>, OperationsOptionsValidator>());
        services.AddHostedService<OperationsServer>();
        return services;
    }
}
