using k8s.Models;

namespace Kaito.CrdBridge.Manifests;

/// <summary>One step of building a pod, as upstream's manifest modifiers: adds its part to a pod the builder owns.
/// The first container is the main one (the model server or the trainer).</summary>
internal delegate void PodSpecModifier(ManifestContext context, V1PodSpec pod);
