namespace Kaito.Silo.Webhooks;

/// <summary>Reuses the stored certificates when they still serve, else issues new ones (keeping a good CA) and stores them.</summary>
public sealed class WebhookCertificateSource(IWebhookCertificateStore store, TimeProvider clock)
{
    private const int Attempts = 3;

    /// <returns>The bundle to serve with, and what happened: <c>reused</c>, or <c>issued</c> with the reason.</returns>
    public async Task<(WebhookCertificateBundle Bundle, string Outcome)> EnsureAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await store.LoadAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var problem = stored is null ? "none stored yet" : WebhookCertificateIssuer.Problem(stored, names, now);
            if (problem is null)
            {
                return (stored!, $"reused from {store.Location}");
            }

            var fresh = WebhookCertificateIssuer.Issue(names, now, stored);
            if (await store.TrySaveAsync(fresh, replace: stored is not null, cancellationToken))
            {
                var ca = stored is not null && stored.CaCertificatePem == fresh.CaCertificatePem ? "same CA" : "new CA";
                return (fresh, $"issued ({ca}) into {store.Location}: {problem}");
            }

            if (attempt == Attempts)
            {
                throw new InvalidOperationException($"The webhook certificates in {store.Location} changed under this silo {Attempts} times in a row.");
            }
        }
    }
}
