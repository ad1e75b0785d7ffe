using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenLedger.Datanets.Auth;
using OpenLedger.Datanets.Storage;
using OpenLedger.Primitives;

namespace OpenLedger.Datanets.Api;

/// <summary>/api/datanets: the list, one Datanet, its contributions (list, filter, search, upload) and versions.</summary>
public static partial class DatanetEndpoints
{
    internal const string DatanetColumns = """
        id AS Id, owner AS Owner, CASE kind WHEN 0 THEN 'text' WHEN 1 THEN 'image' ELSE 'audio' END AS Kind, name AS Name,
        metadata_uri AS MetadataUri, license AS License, fee AS Fee, max_file_bytes AS MaxFileBytes, contributions AS Contributions,
        approved AS Approved, versions AS Versions, created_block AS CreatedBlock
        """;

    internal const string ContributionColumns = """
        c.id AS Id, c.datanet_id AS DatanetId, c.contributor AS Contributor, c.content_hash AS ContentHash, c.size AS Size,
        c.metadata_uri AS MetadataUri, c.fee_paid AS FeePaid,
        CASE c.status WHEN 1 THEN 'pending' WHEN 2 THEN 'approved' ELSE 'rejected' END AS Status,
        c.block_number AS BlockNumber, c.tx_hash AS TxHash,
        (SELECT u.media_type FROM uploads u WHERE u.datanet_id = c.datanet_id AND u.content_hash = c.content_hash) AS MediaType,
        EXISTS (SELECT 1 FROM uploads u WHERE u.datanet_id = c.datanet_id AND u.content_hash = c.content_hash) AS ContentAvailable
        """;

    public static void Map(RouteGroupBuilder api, ApiContext ctx)
    {
        var g = api.MapGroup("/datanets").WithTags("Datanets");

        g.MapGet("/", async (int? limit, string? cursor, CancellationToken ct) =>
        {
            var (l, after) = Paging.Parse(limit, cursor);
            await using var c = await ctx.Db.OpenAsync(ct);
            var rows = (await c.QueryAsync<DatanetDto>($"SELECT {DatanetColumns} FROM datanets WHERE id > @after ORDER BY id LIMIT @n", new { after, n = l + 1 })).ToList();
            return Paging.Of(rows, l, d => d.Id);
        }).WithName("ListDatanets").WithSummary("Datanets in id order (paged).");

        g.MapGet("/{id:long}", async (long id, CancellationToken ct) =>
        {
            await using var c = await ctx.Db.OpenAsync(ct);
            var d = await c.QueryFirstOrDefaultAsync<DatanetDto>($"SELECT {DatanetColumns} FROM datanets WHERE id = @id", new { id })
                ?? throw new ApiException(404, "Unknown Datanet", $"Datanet {id} is not on the chain (or not indexed yet)");
            var curators = (await c.QueryAsync<string>("SELECT curator FROM curators WHERE datanet_id = @id ORDER BY curator", new { id })).ToList();
            return new DatanetDetailDto(d, curators);
        }).WithName("GetDatanet").WithSummary("One Datanet with its curators.");

        g.MapGet("/{id:long}/contributions", async (long id, string? status, string? contributor, string? q, int? limit, string? cursor, CancellationToken ct) =>
        {
            var (l, after) = Paging.Parse(limit, cursor);
            var where = "c.datanet_id = @id AND c.id > @after";
            long? statusCode = status switch
            {
                null or "" => null,
                "pending" => 1,
                "approved" => 2,
                "rejected" => 3,
                _ => throw new ApiException(400, "Bad status", $"status must be pending, approved or rejected, got \"{status}\""),
            };
            if (statusCode != null) where += " AND c.status = @status";
            string? who = null;
            if (!string.IsNullOrEmpty(contributor))
            {
                if (!Address.TryParse(contributor, out var a)) throw new ApiException(400, "Bad contributor", $"\"{contributor}\" is not an address");
                who = a.ToLowerHex();
                where += " AND c.contributor = @who";
            }
            string? search = null;
            if (!string.IsNullOrEmpty(q))
            {
                search = ctx.Db.Dialect == SqlDialect.Sqlite ? FtsQuery(q) : q;
                where += ctx.Db.Dialect == SqlDialect.Sqlite
                    ? " AND c.content_hash IN (SELECT content_hash FROM text_search WHERE text_search MATCH @search)"
                    : " AND c.content_hash IN (SELECT content_hash FROM text_search WHERE tsv @@ plainto_tsquery('simple', @search))";
            }
            await using var c = await ctx.Db.OpenAsync(ct);
            var rows = (await c.QueryAsync<ContributionRow>($"SELECT {ContributionColumns} FROM contributions c WHERE {where} ORDER BY c.id LIMIT @n",
                new { id, after, status = statusCode, who, search, n = l + 1 })).Select(r => r.Dto()).ToList();
            return Paging.Of(rows, l, r => r.Id);
        }).WithName("ListContributions")
          .WithSummary("Contributions of a Datanet (paged), filtered by status and contributor; q searches the text of text contributions.");

        g.MapPost("/{id:long}/contributions", async (long id, HttpContext http, CancellationToken ct) =>
        {
            var h = http.Request.Headers;
            string Need(string name) => h[name].ToString() is { Length: > 0 } v ? v : throw new ApiException(400, "Missing header", $"the upload needs the {name} header");
            if (http.Request.ContentLength is not { } size) throw new ApiException(411, "Length required", "send Content-Length: the permit covers the exact size");
            if (!Address.TryParse(Need("X-Upload-Contributor"), out var contributor)) throw new ApiException(400, "Bad header", "X-Upload-Contributor is not an address");
            if (!Hash256.TryParse(Need("X-Upload-Content-Hash"), out var hash)) throw new ApiException(400, "Bad header", "X-Upload-Content-Hash is not a 32-byte 0x hex hash");
            if (!long.TryParse(Need("X-Upload-Expiry"), NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)) throw new ApiException(400, "Bad header", "X-Upload-Expiry is not a Unix time in seconds");
            if (!UInt256.TryParse(Need("X-Upload-Nonce"), out var nonce)) throw new ApiException(400, "Bad header", "X-Upload-Nonce is not a uint256 (decimal or 0x hex)");
            if (!Hex.TryDecode(Need("X-Upload-Signature"), out var sig) || sig.Length != 65) throw new ApiException(400, "Bad header", "X-Upload-Signature is not 65 bytes of 0x hex (r || s || v)");
            // The permit, not Kestrel's default cap, bounds the body; the store stops reading past the signed size.
            if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } f) f.MaxRequestBodySize = null;
            var permit = new UploadPermit(id, hash, size, expiry, nonce);
            var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            var result = await ctx.Uploads.UploadAsync(permit, contributor, sig, ip, http.Request.Body, ct);
            return result.Created ? Results.Created($"/api/contributions/{result.ContentHash}", result) : Results.Ok(result);
        }).WithName("UploadContribution")
          .WithSummary("Uploads content for a contribution. Headers: X-Upload-Contributor, X-Upload-Content-Hash (keccak256 of the body), X-Upload-Expiry, X-Upload-Nonce, X-Upload-Signature (EIP-712 Upload permit, eth_signTypedData_v4); Content-Length is the signed size. The upload stays pending until contribute(datanetId, contentHash, size, uri) lands on-chain.")
          .Accepts<byte[]>("application/octet-stream", "text/plain", "image/png", "image/jpeg", "audio/wav")
          .Produces<Content.UploadResult>(201).Produces<Content.UploadResult>(200).ProducesProblem(400).ProducesProblem(401).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415).ProducesProblem(429)
          .DisableAntiforgery();

        g.MapGet("/{id:long}/versions", (long id, CancellationToken ct) => ctx.Versions.ListAsync(id, ct))
            .WithName("ListVersions").WithSummary("Published versions of a Datanet.");
        g.MapGet("/{id:long}/versions/draft", (long id, CancellationToken ct) => ctx.Versions.DraftAsync(id, ct))
            .WithName("DraftVersion").WithSummary("The root over all approved contributions, for the owner to publish with publishVersion(datanetId, root, count).");
        g.MapGet("/{id:long}/versions/{version:long}", (long id, long version, CancellationToken ct) => ctx.Versions.ManifestAsync(id, version, ct))
            .WithName("GetVersionManifest").WithSummary("Manifest of a published version with an inclusion proof per contribution; 409 when the chain's root cannot be reproduced.")
            .ProducesProblem(404).ProducesProblem(409);
        g.MapGet("/{id:long}/versions/{version:long}/proofs/{contributionId:long}", async (long id, long version, long contributionId, CancellationToken ct) =>
        {
            var m = await ctx.Versions.ManifestAsync(id, version, ct);
            return m.Contributions.FirstOrDefault(e => e.ContributionId == contributionId)
                ?? throw new ApiException(404, "Not in this version", $"contribution {contributionId} is not under version {version} of Datanet {id}");
        }).WithName("GetVersionProof").WithSummary("The inclusion proof of one contribution in a published version.");
    }

    /// <summary>A user's words as an FTS5 query: each word quoted (so operators and syntax in the input are plain text), all required.</summary>
    internal static string FtsQuery(string q)
    {
        var words = Word().Matches(q).Select(m => "\"" + m.Value + "\"").ToList();
        if (words.Count == 0) throw new ApiException(400, "Bad search", "q has no words to search for");
        return string.Join(' ', words);
    }

    [GeneratedRegex(@"[\p{L}\p{N}_]+")]
    private static partial Regex Word();

    internal sealed class ContributionRow
    {
        public long Id { get; set; }
        public long DatanetId { get; set; }
        public string Contributor { get; set; } = "";
        public string ContentHash { get; set; } = "";
        public long Size { get; set; }
        public string MetadataUri { get; set; } = "";
        public string FeePaid { get; set; } = "";
        public string Status { get; set; } = "";
        public long BlockNumber { get; set; }
        public string TxHash { get; set; } = "";
        public string? MediaType { get; set; }
        public bool ContentAvailable { get; set; }

        public ContributionDto Dto() => new(Id, DatanetId, Contributor, ContentHash, Size, MetadataUri, FeePaid, Status, BlockNumber, TxHash, MediaType, ContentAvailable);
    }
}
