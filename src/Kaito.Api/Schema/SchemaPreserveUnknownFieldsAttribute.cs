namespace Kaito.Api;

/// <summary>
/// The CRD keeps this object as written (<c>x-kubernetes-preserve-unknown-fields</c>), as upstream does for pod
/// templates and volume sources: their full schemas would make the CRD megabytes long. Their shape is still checked,
/// field by field, by <see cref="Serialization.JsonShapeChecker"/> in admission and in <c>kaito validate</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SchemaPreserveUnknownFieldsAttribute : Attribute;
