using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace Kaito.Silo.Run;

/// <summary>
/// How fast the silos of one cluster declare a lost silo dead, from the <c>Membership</c> section (Orleans'
/// <see cref="ClusterMembershipOptions"/>, e.g. <c>--set Membership:ProbeTimeout=00:00:02</c>). Every other silo is
/// probed each <see cref="ProbeTimeout"/>; after <see cref="NumMissedProbesLimit"/> missed probes a silo votes it
/// suspect, and two votes declare it dead. Its grains then activate on the silos that remain, at their next call.
/// The defaults here find a killed silo in about 3 s (Orleans' own: 5 s probes, about 15 s).
/// </summary>
public static class SiloMembership
{
    public const string SectionName = "Membership";

    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    public const int NumMissedProbesLimit = 3;

    public static void Configure(ClusterMembershipOptions options, IConfiguration configuration)
    {
        options.ProbeTimeout = ProbeTimeout;
        options.NumMissedProbesLimit = NumMissedProbesLimit;
        configuration.GetSection(SectionName).Bind(options);
    }
}
