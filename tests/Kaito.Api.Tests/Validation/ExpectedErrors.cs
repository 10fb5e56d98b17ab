namespace Kaito.Api.Tests.Validation;

/// <summary>Reads the "# expect: field: message" lines at the top of a test manifest.</summary>
public static class ExpectedErrors
{
    public static IReadOnlyList<string> Of(string path) =>
        File.ReadLines(path).Where(l => l.StartsWith("# expect: ", StringComparison.Ordinal)).Select(l => l["# expect: ".Length..]).ToList();
}
