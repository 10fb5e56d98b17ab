namespace Kaito.Runtime.OpenAi;

/// <summary>GET /v1/models: the base model and each adapter.</summary>
public sealed record ModelList(string Object, IReadOnlyList<ModelCard> Data);
