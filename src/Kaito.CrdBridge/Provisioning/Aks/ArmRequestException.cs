namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>ARM answered with an error document <c>{"error":{"code","message"}}</c> (after the pipeline's retries).</summary>
public sealed class ArmRequestException(int status, string code, string message) : Exception($"{code}: {message}")
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string ArmMessage { get; } = message;
}
