using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using OpenLedger.Primitives;

namespace OpenLedger.Datanets.Api;

/// <summary>/api/contributions/{hash}: the content of an on-chain contribution (immutable: strong ETag, cached forever).</summary>
public static class ContentEndpoints
{
    public static void Map(RouteGroupBuilder api, ApiContext ctx)
    {
        var g = api.MapGroup("/contributions").WithTags("Contributions");

        g.MapGet("/{hash}", async (string hash, HttpContext http, CancellationToken ct) =>
        {
            if (!Hash256.TryParse(hash, out var h)) throw new ApiException(400, "Bad hash", $"\"{hash}\" is not a 32-byte 0x hex content hash");
            var hex = h.ToString();
            string? mediaType;
            await using (var c = await ctx.Db.OpenAsync(ct))
            {
                var onChain = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM contributions WHERE content_hash = @h", new { h = hex });
                if (onChain == 0) throw new ApiException(404, "Not a contribution", $"no contribution on the chain has content hash {hex} (uploads are served once their contribute transaction lands)");
                mediaType = await c.QueryFirstOrDefaultAsync<string?>("SELECT media_type FROM uploads WHERE content_hash = @h", new { h = hex });
            }
            if (mediaType == null || !ctx.Store.Exists(h))
                throw new ApiException(404, "Content not held here", $"{hex} is on the chain but its content was not uploaded to this service");
            var etag = new EntityTagHeaderValue("\"" + hex + "\"");
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            // Never rendered inline as a page of this origin: a contributed file could hold HTML or script.
            http.Response.Headers.ContentSecurityPolicy = "sandbox";
            return Results.Stream(ctx.Store.OpenRead(h), mediaType, entityTag: etag, enableRangeProcessing: true);
        }).WithName("GetContent")
          .WithSummary("The bytes of a contribution by keccak256 content hash. ETag is the hash; If-None-Match answers 304; ranges supported.")
          .Produces(200, contentType: "application/octet-stream").Produces(304).ProducesProblem(404);

        g.MapGet("/{hash}/contributions", async (string hash, CancellationToken ct) =>
        {
            if (!Hash256.TryParse(hash, out var h)) throw new ApiException(400, "Bad hash", $"\"{hash}\" is not a 32-byte 0x hex content hash");
            await using var c = await ctx.Db.OpenAsync(ct);
            return (await c.QueryAsync<DatanetEndpoints.ContributionRow>($"SELECT {DatanetEndpoints.ContributionColumns} FROM contributions c WHERE c.content_hash = @h ORDER BY c.id",
                new { h = h.ToString() })).Select(r => r.Dto()).ToList();
        }).WithName("GetContributionsByHash").WithSummary("The on-chain contributions naming a content hash (one per Datanet at most).");
    }
}
