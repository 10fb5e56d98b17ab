namespace Kaito.Api;

/// <summary>The property is listed as required in the CRD schema.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SchemaRequiredAttribute : Attribute;
