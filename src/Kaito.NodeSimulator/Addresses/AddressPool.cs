namespace Kaito.NodeSimulator.Addresses;

/// <summary>
/// Hands out 192.0.2.1-254 (TEST-NET-1, documentation only) to nodes and pods, one per owner key. These addresses are
/// data for the endpoints controller (which rejects loopback pod IPs); nothing ever connects to them.
/// </summary>
internal sealed class AddressPool
{
    public const string Prefix = "192.0.2.";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _byOwner = new(StringComparer.Ordinal);
    private readonly HashSet<int> _used = [];
    private int _next = 1;

    public static bool Contains(string? ip) =>
        ip is not null && ip.StartsWith(Prefix, StringComparison.Ordinal)
        && int.TryParse(ip.AsSpan(Prefix.Length), out var host) && host is >= 1 and <= 254;

    /// <summary>The owner's address: the one it already has, else the next free one.</summary>
    public string Allocate(string owner)
    {
        lock (_lock)
        {
            if (_byOwner.TryGetValue(owner, out var host))
            {
                return Prefix + host;
            }

            for (var i = 0; i < 254; i++)
            {
                var candidate = (_next + i - 1) % 254 + 1;
                if (_used.Add(candidate))
                {
                    _next = candidate % 254 + 1;
                    _byOwner[owner] = candidate;
                    return Prefix + candidate;
                }
            }

            throw new InvalidOperationException($"all 254 addresses of {Prefix}0/24 are in use");
        }
    }

    /// <summary>Records an address seen on an existing object (e.g. written by an earlier simulator run).</summary>
    public void Reserve(string owner, string? ip)
    {
        if (!Contains(ip))
        {
            return;
        }

        var host = int.Parse(ip!.AsSpan(Prefix.Length));
        lock (_lock)
        {
            if (!_byOwner.ContainsKey(owner) && _used.Add(host))
            {
                _byOwner[owner] = host;
            }
        }
    }

    public void Release(string owner)
    {
        lock (_lock)
        {
            if (_byOwner.Remove(owner, out var host))
            {
                _used.Remove(host);
            }
        }
    }
}
