namespace Kaito.Api.Catalog;

/// <summary>The catalog is invalid; every problem is listed, so one fix-and-retry round is enough.</summary>
public sealed class CatalogLoadException(IReadOnlyList<CatalogError> errors)
    : Exception("The catalog is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<CatalogError> Errors { get; } = errors;
}
