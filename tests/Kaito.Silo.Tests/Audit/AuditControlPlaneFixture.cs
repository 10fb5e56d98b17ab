using System.Net.Http.Headers;
using Kaito.Silo.Tests.EndToEnd;

namespace Kaito.Silo.Tests.Audit;

/// <summary>The control plane (NodeClaim provisioner, so Machines have histories) with the audit API on a free loopback port and a token.</summary>
public sealed class AuditControlPlaneFixture : ControlPlaneFixture
{
    public const string Token = "audit-test-token";

    public string AuditUrl { get; } = $"http://127.0.0.1:{FreePort()}";

    protected override string Provisioner => "nodeclaim";

    protected override IEnumerable<string> ExtraRunArgs => ["--audit-url", AuditUrl, "--audit-token", Token];

    protected override async Task PrepareClusterAsync() =>
        await Cluster.KubectlAsync("apply", "-f", RepoPaths.Of("deploy", "dev", "karpenter-crds.yaml"));

    /// <summary>A client of the audit API; with the right token unless told otherwise.</summary>
    public HttpClient AuditClient(string? token = Token)
    {
        var http = new HttpClient { BaseAddress = new Uri(AuditUrl) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }
}
