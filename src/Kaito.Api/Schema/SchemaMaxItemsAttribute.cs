namespace Kaito.Api;

/// <summary>The most items the CRD schema accepts.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
public sealed class SchemaMaxItemsAttribute(long maxItems) : Attribute
{
    public long MaxItems { get; } = maxItems;
}
