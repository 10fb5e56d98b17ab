namespace Kaito.CrdBridge.Manifests;

/// <summary>An intent that no manifest can be built from (an unknown preset, a spec with neither inference nor tuning).</summary>
public sealed class ManifestException(string message) : Exception(message);
