namespace Kaito.Api.V1Alpha1;

public static class AccessModes
{
    public const string Public = "public";
    public const string Private = "private";
}
