using Microsoft.AspNetCore.WebUtilities;

namespace Catwalk.Web.Mcp;

/// <summary>The <c>?token=</c> form of Catwalk's credential, which must not reach a machine.</summary>
internal static class McpTokenQuery
{
    public static QueryString Without(QueryString query)
    {
        if (!query.HasValue || !query.Value!.Contains("token", StringComparison.OrdinalIgnoreCase))
        {
            return query;
        }

        var parameters = QueryHelpers.ParseQuery(query.Value);
        parameters.Remove("token");
        return QueryString.Create(parameters.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v))));
    }
}
