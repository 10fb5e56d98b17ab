using System.Collections.Immutable;
using k8s.Models;

namespace Kaito.CrdBridge.Provisioning;

/// <summary>
/// The nodes a bring-your-own machine may take, best first: ready, not deleting, with GPU capacity when the SKU has
/// GPUs, not claimed by another machine; preferred nodes in the workspace's order, then the rest by name. Also the
/// counts that explain an empty list.
/// </summary>
internal sealed record ByoNodeCandidates(IReadOnlyList<V1Node> Free, int Matching, int Usable, int Taken)
{
    public static ByoNodeCandidates From(IEnumerable<V1Node> matching, ImmutableArray<string> preferred, bool needsGpu)
    {
        var all = matching.ToList();
        var usable = all
            .Where(n => !GpuNodes.IsDeleting(n) && GpuNodes.IsReady(n) && (!needsGpu || GpuNodes.GpuCapacity(n) > 0))
            .ToList();
        var free = usable
            .Where(n => ByoNodeProvisioner.ClaimOf(n) is null)
            .OrderBy(n => preferred.IndexOf(n.Metadata.Name) is var i and >= 0 ? i : int.MaxValue)
            .ThenBy(n => n.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        return new ByoNodeCandidates(free, all.Count, usable.Count, usable.Count - free.Count);
    }
}
