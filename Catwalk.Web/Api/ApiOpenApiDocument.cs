using Catwalk.Web.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Catwalk.Web.Api;

/// <summary>Declares the personal-token bearer scheme in <c>/openapi/v1.json</c> and requires it on every operation.</summary>
internal sealed class ApiOpenApiDocument : IOpenApiDocumentTransformer
{
    public const string SchemeId = "personalApiToken";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Catwalk API";
        document.Info.Description = "Deploy stdio MCP servers as remote MCP endpoints. Authenticate with 'Authorization: Bearer cwp_...' (a personal API token).";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = PersonalApiTokenDefaults.TokenPrefix + "...",
            Description = "A personal API token: create one on the Settings page or with 'create-token'.",
        };
        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, document)] = [] };
        foreach (var operation in (document.Paths ?? []).Values.SelectMany(p => p.Operations ?? []).Select(o => o.Value))
        {
            operation.Security ??= [];
            operation.Security.Add(requirement);
        }

        return Task.CompletedTask;
    }
}
