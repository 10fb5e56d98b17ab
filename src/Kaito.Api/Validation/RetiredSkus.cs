namespace Kaito.Api.Validation;

/// <summary>
/// SKUs in upstream Kaito's older GPU table that Azure has retired: no new node of these types can be created, so a
/// Workspace naming one would never get nodes.
/// </summary>
public static class RetiredSkus
{
    public static IReadOnlySet<string> Names { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Standard_NC6", "Standard_NC12", "Standard_NC24", "Standard_NC24r",
        "Standard_NV6", "Standard_NV12", "Standard_NV24",
        "Standard_NV12s_v3", "Standard_NV24s_v3", "Standard_NV48s_v3",
    };

    public static bool Contains(string instanceType) => Names.Contains(instanceType);
}
