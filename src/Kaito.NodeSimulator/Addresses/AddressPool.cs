namespace Kaito.NodeSimulator.Addresses;

/// <summary>
/// Hands out addresses from the three documentation ranges of RFC 5737 to nodes and pods, one per owner key:
/// 192.0.2.1-254 (TEST-NET-1) first, then 198.51.100.1-254 and 203.0.113.1-254 (762 in all, enough for a few hundred
/// nodes with a pod each). These addresses are data for the endpoints controller (which rejects loopback pod IPs);
/// nothing ever connects to them.
/// </summary>
internal sealed class AddressPool
{
    private const int HostsPerRange = 254;

    private static readonly string[] Prefixes = ["192.0.2.", "198.51.100.", "203.0.113."];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _byOwner = new(StringComparer.Ordinal);
    private readonly HashSet<int> _used = [];
    private int _next;

    private static int Size => Prefixes.Length * HostsPerRange;

    public static bool Contains(string? ip) => IndexOf(ip) is not null;

    /// <summary>The owner's address: the one it already has, else the next free one.</summary>
    public string Allocate(string owner)
    {
        lock (_lock)
        {
            if (_byOwner.TryGetValue(owner, out var index))
            {
                return Address(index);
            }

            for (var i = 0; i < Size; i++)
            {
                var candidate = (_next + i) % Size;
                if (_used.Add(candidate))
                {
                    _next = (candidate + 1) % Size;
                    _byOwner[owner] = candidate;
                    return Address(candidate);
                }
            }

            throw new InvalidOperationException($"all {Size} addresses of {string.Join(", ", Prefixes.Select(p => p + "0/24"))} are in use");
        }
    }

    /// <summary>Records an address seen on an existing object (e.g. written by an earlier simulator run).</summary>
    public void Reserve(string owner, string? ip)
    {
        if (IndexOf(ip) is not { } index)
        {
            return;
        }

        lock (_lock)
        {
            if (!_byOwner.ContainsKey(owner) && _used.Add(index))
            {
                _byOwner[owner] = index;
            }
        }
    }

    public void Release(string owner)
    {
        lock (_lock)
        {
            if (_byOwner.Remove(owner, out var index))
            {
                _used.Remove(index);
            }
        }
    }

    private static string Address(int index) => Prefixes[index / HostsPerRange] + (index % HostsPerRange + 1);

    private static int? IndexOf(string? ip)
    {
        for (var range = 0; ip is not null && range < Prefixes.Length; range++)
        {
            if (ip.StartsWith(Prefixes[range], StringComparison.Ordinal)
                && int.TryParse(ip.AsSpan(Prefixes[range].Length), out var host) && host is >= 1 and <= HostsPerRange)
            {
                return range * HostsPerRange + host - 1;
            }
        }

        return null;
    }
}
