using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kaito.Api.V1Alpha1;
using Kaito.CrdBridge.Watching;
using Kaito.Grains.Ports;
using Kaito.Grains.Workspaces;

namespace Kaito.CrdBridge.Events;

/// <summary>
/// Writes one notice as a core/v1 Event on its Workspace, as client-go's recorder does: named
/// <c>&lt;workspace&gt;.&lt;hex nanoseconds&gt;</c>, involvedObject with the Workspace's UID (and its resourceVersion as the
/// watch last saw it), source component <c>kaito</c>; a repeat (see <see cref="EventCorrelator"/>) patches the earlier
/// Event's count and lastTimestamp, and is created again if that Event is gone (Events expire after an hour).
/// </summary>
public sealed class KubernetesEventWriter(IKubernetes client, WorkspaceUidIndex? index = null, EventCorrelator? correlator = null)
{
    public const string Component = "kaito";

    private readonly EventCorrelator _correlator = correlator ?? new EventCorrelator();
    private readonly Lock _lock = new();
    private long _lastNanos;

    /// <summary>Writes the Event; returns it as stored, or null for a key that names no object (no UID). Throws what the API server says.</summary>
    public async Task<Corev1Event?> WriteAsync(WorkspaceEventNotice notice, CancellationToken cancellationToken = default)
    {
        var key = WorkspaceKey.Parse(notice.WorkspaceKey);
        if (key.Uid is null)
        {
            return null;
        }

        var correlated = _correlator.Correlate(Make(notice, key), Name);
        var written = correlated.UpdatesExisting
            ? await PatchOrCreateAsync(correlated, cancellationToken)
            : await CreateAsync(correlated.Event, cancellationToken);
        _correlator.Written(correlated, written);
        return written;
    }

    private Corev1Event Make(WorkspaceEventNotice notice, WorkspaceKey key)
    {
        var at = notice.At.UtcDateTime;
        return new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = Name(key.Name, at), NamespaceProperty = key.Namespace },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = Workspace.KubeApiVersion,
                Kind = Workspace.KubeKind,
                NamespaceProperty = key.Namespace,
                Name = key.Name,
                Uid = key.Uid,
                ResourceVersion = index?.FindResourceVersion(key.Namespace, key.Name, key.Uid!),
            },
            Reason = notice.Reason,
            Message = notice.Message,
            Type = notice.Type.ToString(),
            Source = new V1EventSource { Component = Component },
            ReportingComponent = Component,
            Count = 1,
            FirstTimestamp = at,
            LastTimestamp = at,
        };
    }

    /// <summary>client-go's <c>name.%x</c> of the time in nanoseconds, never the same twice from this writer (several
    /// notices of one decision share its time).</summary>
    private string Name(string objectName, DateTime at)
    {
        lock (_lock)
        {
            var nanos = Math.Max((at.Ticks - DateTime.UnixEpoch.Ticks) * 100, _lastNanos + 1);
            _lastNanos = nanos;
            return objectName + "." + nanos.ToString("x", CultureInfo.InvariantCulture);
        }
    }

    private async Task<Corev1Event> PatchOrCreateAsync(CorrelatedEvent correlated, CancellationToken cancellationToken)
    {
        var e = correlated.Event;
        try
        {
            return await client.CoreV1.PatchNamespacedEventAsync(new V1Patch(correlated.Patch(), V1Patch.PatchType.StrategicMergePatch),
                e.Metadata.Name, e.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Expired or deleted: write it again under the same name, with its count, as client-go does.
            e.Metadata.ResourceVersion = null;
            return await CreateAsync(e, cancellationToken);
        }
    }

    private async Task<Corev1Event> CreateAsync(Corev1Event e, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await client.CoreV1.CreateNamespacedEventAsync(e, e.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict && attempt < 3)
            {
                // The name is taken (another silo wrote an Event at the same nanosecond): take the next one.
                e.Metadata.Name = Name(e.InvolvedObject.Name, e.LastTimestamp ?? DateTime.UtcNow);
            }
        }
    }
}
