using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Catwalk.Web.OAuth;

/// <summary>
/// After OpenIddict revoked the token a client sent to the revocation endpoint (it revokes only that token), revokes the
/// approval it was issued under, so the client is refused on its very next MCP request.
/// </summary>
internal sealed class ClientRevocationHandler(OAuthConnections connections) : IOpenIddictServerHandler<HandleRevocationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleRevocationRequestContext>()
            .UseScopedHandler<ClientRevocationHandler>()
            .SetOrder(int.MaxValue - 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleRevocationRequestContext context)
    {
        if (!context.IsRejected && context.GenericTokenPrincipal?.GetAuthorizationId() is { } approvalId)
        {
            await connections.RevokedByClientAsync(approvalId, context.CancellationToken);
        }
    }
}
