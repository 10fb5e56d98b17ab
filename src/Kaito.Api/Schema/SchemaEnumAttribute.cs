namespace Kaito.Api;

/// <summary>The values the CRD schema accepts for a string property.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SchemaEnumAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}
