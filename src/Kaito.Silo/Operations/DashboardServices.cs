using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace Kaito.Silo.Operations;

/// <summary>
/// The Orleans Dashboard's endpoints resolve its services (asset provider, dashboard client, log stream, options) from
/// the web application that maps them, but the silo registered them (<c>AddDashboard</c> on the silo builder). The
/// operations listener has a container of its own, so each service of the dashboard's assembly that the silo knows is
/// forwarded to the silo's instance; the dashboard's types stay its own (they are internal).
/// </summary>
internal static class DashboardServices
{
    public static bool AreRegistered(IServiceProvider silo) =>
        silo.GetService<IServiceProviderIsService>() is { } isService && ServiceTypes(isService).Any();

    public static void Forward(IServiceCollection listener, IServiceProvider silo)
    {
        var isService = silo.GetRequiredService<IServiceProviderIsService>();
        foreach (var type in ServiceTypes(isService))
        {
            listener.AddSingleton(type, _ => silo.GetRequiredService(type));
        }

        listener.AddSingleton(_ => silo.GetRequiredService<IOptions<DashboardOptions>>());
    }

    private static IEnumerable<Type> ServiceTypes(IServiceProviderIsService isService) =>
        typeof(DashboardOptions).Assembly.GetTypes().Where(t => !t.ContainsGenericParameters && isService.IsService(t));
}
