namespace Kaito.Api;

/// <summary>The smallest value the CRD schema accepts.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
public sealed class SchemaMinimumAttribute(long minimum) : Attribute
{
    public long Minimum { get; } = minimum;
}
