namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>
/// A test that runs scripts/local-stack.sh end to end: minutes (builds, a cluster, Azurite, runtimes), so it runs only
/// when <c>KAITO_TEST_LOCAL_STACK=1</c>.
/// </summary>
public sealed class LocalStackFactAttribute : FactAttribute
{
    public const string Variable = "KAITO_TEST_LOCAL_STACK";

    public LocalStackFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"runs scripts/local-stack.sh end to end (about 2-4 minutes); set {Variable}=1 to run it";
        }
    }
}
