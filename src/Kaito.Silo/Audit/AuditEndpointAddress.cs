using System.Net;

namespace Kaito.Silo.Audit;

/// <summary>Where the audit API listens, read from <see cref="AuditOptions.Url"/>: an address (null: every address) and a port.</summary>
public sealed record AuditEndpointAddress(IPAddress? Address, int Port)
{
    public bool IsLoopback => Address is not null && IPAddress.IsLoopback(Address);

    /// <summary>Null with <paramref name="problem"/> when the URL cannot be listened on.</summary>
    public static AuditEndpointAddress? TryParse(string? url, out string problem)
    {
        problem = "";
        if (!Uri.TryCreate(url?.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            problem = "must be http://ADDRESS:PORT (https is for a proxy in front of it)";
            return null;
        }

        if (uri.Host == "localhost")
        {
            return new AuditEndpointAddress(IPAddress.Loopback, uri.Port);
        }

        if (!IPAddress.TryParse(uri.Host, out var ip))
        {
            problem = "must listen on an IP address, localhost, or * (every address), not a host name";
            return null;
        }

        return new AuditEndpointAddress(ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) ? null : ip, uri.Port);
    }
}
