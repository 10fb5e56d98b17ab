namespace Kaito.Grains.Tests.Infrastructure;

/// <summary>Workspace documents as users write them (upstream's quick-start manifests), as JSON.</summary>
public static class Manifests
{
    /// <param name="generation">metadata.generation; 0 leaves it out, as a document from the API may.</param>
    public static string Inference(string ns, string name, long generation = 1, string preset = "phi-3-mini-4k-instruct",
        string instanceType = "Standard_NC6s_v3", int count = 1, string? config = null) => $$"""
        {
          "apiVersion": "kaito.sh/v1alpha1",
          "kind": "Workspace",
          "metadata": { "name": "{{name}}", "namespace": "{{ns}}"{{(generation == 0 ? "" : $", \"generation\": {generation}")}} },
          "resource": {
            "count": {{count}},
            "instanceType": "{{instanceType}}",
            "labelSelector": { "matchLabels": { "apps": "phi-3" } }
          },
          "inference": {
            "preset": { "name": "{{preset}}" }{{(config is null ? "" : $", \"config\": \"{config}\"")}}
          }
        }
        """;

    public static string Tuning(string ns, string name, long generation = 1) => $$"""
        {
          "apiVersion": "kaito.sh/v1alpha1",
          "kind": "Workspace",
          "metadata": { "name": "{{name}}", "namespace": "{{ns}}", "generation": {{generation}} },
          "resource": {
            "instanceType": "Standard_NC6s_v3",
            "labelSelector": { "matchLabels": { "apps": "tuning-phi-3" } }
          },
          "tuning": {
            "preset": { "name": "phi-3-mini-4k-instruct" },
            "method": "qlora",
            "input": { "urls": [ "https://huggingface.co/datasets/philschmid/dolly-15k-oai-style/resolve/main/data/train-00000-of-00001-54e3756291ca09c6.parquet" ] },
            "output": { "image": "myregistry.azurecr.io/adapters/phi-3-qlora:0.0.1", "imagePushSecret": "push-secret" }
          }
        }
        """;
}
