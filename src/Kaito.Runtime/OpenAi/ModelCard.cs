namespace Kaito.Runtime.OpenAi;

/// <summary>An entry of GET /v1/models.</summary>
public sealed record ModelCard(string Id, string Object, long Created, string OwnedBy);
