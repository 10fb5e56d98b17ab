namespace Kaito.Api;

/// <summary>The description written into the CRD's OpenAPI schema.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
public sealed class SchemaDescriptionAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}
