using Azure.Core;

namespace Kaito.Testing.Arm;

/// <summary>A credential that hands out a fixed bearer token: the imitation checks only that one is sent.</summary>
public sealed class StaticTokenCredential : TokenCredential
{
    public const string Token = "imitation-token";

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(Token, DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
