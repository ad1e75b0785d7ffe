using Dapper;
using OpenLedger.Datanets.Api;
using OpenLedger.Datanets.Storage;
using OpenLedger.Primitives;

namespace OpenLedger.Datanets.Versions;

/// <summary>Version roots for owners to publish, and manifests of published versions checked against the chain's root.</summary>
public sealed class VersionService(Database db)
{
    public const string LeafEncoding = "keccak256(bytes.concat(keccak256(abi.encode(uint256 contributionId, bytes32 contentHash)))); StandardMerkleTree [\"uint256\",\"bytes32\"]; first `count` approved contributions in approval order";

    private sealed record Row(long Id, string ContentHash, string Contributor, long Size);

    private async Task<List<Row>> ApprovedAsync(long datanetId, long? count, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var sql = "SELECT id AS Id, content_hash AS ContentHash, contributor AS Contributor, size AS Size FROM contributions WHERE datanet_id = @d AND status = 2 ORDER BY approval_seq"
                  + (count is null ? "" : " LIMIT @n");
        return (await c.QueryAsync<Row>(sql, new { d = datanetId, n = count ?? 0 })).ToList();
    }

    private static VersionTree Tree(List<Row> rows) =>
        new(rows.Select(r => new VersionLeaf(r.Id, Hash256.Parse(r.ContentHash))).ToList());

    public async Task<VersionDraftDto> DraftAsync(long datanetId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var versions = await c.QueryFirstOrDefaultAsync<long?>("SELECT versions FROM datanets WHERE id = @d", new { d = datanetId })
            ?? throw new ApiException(404, "Unknown Datanet", $"Datanet {datanetId} is not indexed");
        var rows = await ApprovedAsync(datanetId, null, ct);
        if (rows.Count == 0) throw new ApiException(409, "Nothing to publish", $"Datanet {datanetId} has no approved contributions yet");
        var tree = Tree(rows);
        return new VersionDraftDto(datanetId, tree.Root.ToString(), rows.Count, versions + 1, LeafEncoding, rows.Select(r => r.Id).ToList());
    }

    public async Task<IReadOnlyList<VersionDto>> ListAsync(long datanetId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<VersionDto>(
            "SELECT datanet_id AS DatanetId, version AS Version, root AS Root, count AS Count, block_number AS BlockNumber FROM versions WHERE datanet_id = @d ORDER BY version",
            new { d = datanetId })).ToList();
    }

    /// <summary>The manifest; refused (409) when the approved contributions do not hash to the root the chain holds.</summary>
    public async Task<VersionManifestDto> ManifestAsync(long datanetId, long version, CancellationToken ct)
    {
        VersionDto v;
        await using (var c = await db.OpenAsync(ct))
            v = await c.QueryFirstOrDefaultAsync<VersionDto>(
                    "SELECT datanet_id AS DatanetId, version AS Version, root AS Root, count AS Count, block_number AS BlockNumber FROM versions WHERE datanet_id = @d AND version = @v",
                    new { d = datanetId, v = version })
                ?? throw new ApiException(404, "Unknown version", $"Datanet {datanetId} has no published version {version}");
        var rows = await ApprovedAsync(datanetId, v.Count, ct);
        if (rows.Count < v.Count)
            throw new ApiException(409, "Version root does not match the chain", $"version {version} covers {v.Count} contributions but only {rows.Count} are approved in the index");
        var tree = Tree(rows);
        if (!string.Equals(tree.Root.ToString(), v.Root, StringComparison.OrdinalIgnoreCase))
            throw new ApiException(409, "Version root does not match the chain",
                $"the chain's root of Datanet {datanetId} version {version} is {v.Root}; the first {v.Count} approved contributions give {tree.Root}. The owner published a root this service cannot reproduce, so no manifest is served");
        var entries = rows.Select((r, i) => new VersionEntryDto(r.Id, r.ContentHash, r.Contributor, r.Size,
            VersionTree.LeafHash(tree.Leaves[i]).ToString(), tree.Proof(i).Select(h => h.ToString()).ToList())).ToList();
        return new VersionManifestDto(datanetId, version, v.Root, v.Count, v.BlockNumber, LeafEncoding, entries);
    }
}
