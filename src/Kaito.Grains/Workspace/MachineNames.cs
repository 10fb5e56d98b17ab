using System.Security.Cryptography;
using System.Text;

namespace Kaito.Grains.Workspaces;

/// <summary>
/// Machine names as upstream makes NodeClaim names: <c>ws</c> + 9 hex digits, which the gpu-provisioner requires
/// (<c>^[a-z][a-z0-9]{0,11}$</c>). Derived from the workspace and an ordinal rather than the clock, so a replayed or
/// redelivered decision names the same machine.
/// </summary>
public static class MachineNames
{
    public static string For(string workspaceKey, int ordinal) =>
        "ws" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{workspaceKey}#{ordinal}")))[..9];
}
