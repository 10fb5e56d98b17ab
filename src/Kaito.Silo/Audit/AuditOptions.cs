namespace Kaito.Silo.Audit;

/// <summary>
/// The <c>Audit</c> section of <c>kaito run</c>: the read-only audit API over the event log. Bound to loopback by
/// default; any other address needs <see cref="Token"/>. Flags and environment variables are in <c>RunSettings</c>.
/// </summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    public const string DefaultUrl = "http://127.0.0.1:8089";

    /// <summary>Serve the audit API.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>http://ADDRESS:PORT</c>: an IP address, <c>localhost</c>, or <c>*</c> / <c>0.0.0.0</c> for every address.</summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary>The bearer token every request must carry; required when <see cref="Url"/> is not a loopback address.</summary>
    public string? Token { get; set; }
}
