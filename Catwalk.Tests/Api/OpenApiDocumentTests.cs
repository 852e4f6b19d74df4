using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Api;

/// <summary><c>/openapi/v1.json</c> describes every mapped <c>/api</c> route (the MCP forwarding route aside) with the bearer scheme.</summary>
public sealed partial class OpenApiDocumentTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task The_document_lists_every_mapped_api_endpoint_with_the_personal_token_scheme()
    {
        using var client = host.Client();
        using var response = await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK, "the document needs no token");
        var document = await ApiHost.ReadJsonAsync(response);

        var documented = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject()
                .Where(operation => operation.Key is "get" or "post" or "put" or "delete" or "patch")
                .Select(operation => $"{operation.Key.ToUpperInvariant()} {Normalize(path.Key)}"))
            .ToHashSet();
        var mapped = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && raw.StartsWith("/api/", StringComparison.Ordinal) && !raw.StartsWith("/api/mcp", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {Normalize(e.RoutePattern.RawText!)}"))
            .ToHashSet();

        mapped.Should().HaveCountGreaterThanOrEqualTo(16);
        documented.Should().BeEquivalentTo(mapped);
        document["paths"]!.AsObject().Select(p => p.Key).Should().NotContain(p => p.StartsWith("/api/mcp", StringComparison.Ordinal));

        var scheme = document["components"]!["securitySchemes"]!.AsObject().Should().ContainSingle().Subject;
        scheme.Value!["type"]!.GetValue<string>().Should().Be("http");
        scheme.Value["scheme"]!.GetValue<string>().Should().Be("bearer");
        foreach (var operation in document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()))
        {
            operation.Value!["security"]!.AsArray().Should().ContainSingle()
                .Which!.AsObject().Select(r => r.Key).Should().Equal(scheme.Key);
        }
    }

    [Fact]
    public async Task The_create_operation_documents_its_body_and_its_201_answer()
    {
        using var client = host.Client();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;

        var create = document["paths"]!.AsObject().Single(p => Normalize(p.Key) == "/api/deployments")!.Value!["post"]!;
        create["requestBody"]!["content"]!["application/json"].Should().NotBeNull();
        create["responses"]!["201"].Should().NotBeNull();
        create["responses"]!["400"].Should().NotBeNull();
    }

    /// <summary>Route templates and OpenAPI paths in one form: no constraints, no trailing slash.</summary>
    private static string Normalize(string template) => Constraint().Replace(template, "{$1}").TrimEnd('/');

    [GeneratedRegex(@"\{([^}:=?]+)[^}]*\}")]
    private static partial Regex Constraint();
}
