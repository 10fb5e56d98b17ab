using System.Globalization;

namespace Kaito.Api.Validation;

/// <summary>Writes byte counts the way Kubernetes quantities read: 16Gi, 1536Mi.</summary>
public static class QuantityText
{
    private const decimal Gi = 1024m * 1024 * 1024;
    private const decimal Mi = 1024m * 1024;

    public static string Binary(decimal bytes) =>
        bytes % Gi == 0 ? $"{(bytes / Gi).ToString(CultureInfo.InvariantCulture)}Gi"
        : bytes % Mi == 0 ? $"{(bytes / Mi).ToString(CultureInfo.InvariantCulture)}Mi"
        : bytes.ToString(CultureInfo.InvariantCulture);
}
