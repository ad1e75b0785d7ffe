using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Merkle;

namespace OpenLedger.Datanets.Api;

/// <summary>
/// /api/epochs/{n}: AttributionRewards' accounting as indexed, and the reward tree's leaves with proofs once someone has
/// published them (PUT, checked against the root the chain holds: anyone may publish, nobody can publish a wrong tree);
/// the records behind the root are under /api/epochs/{n}/records (<see cref="EpochRecordEndpoints"/>).
/// </summary>
public static class EpochEndpoints
{
    public const string LeafEncoding = "keccak256(bytes.concat(keccak256(abi.encode(address account, uint256 amount)))); StandardMerkleTree [\"address\",\"uint256\"]";

    private sealed class EpochRow
    {
        public long Epoch { get; set; }
        public string Fees { get; set; } = "0";
        public string? Root { get; set; }
        public string? Total { get; set; }
        public string? Distributable { get; set; }
        public string Claimed { get; set; } = "0";
        public long? PostedBlock { get; set; }
    }

    internal sealed record LeafRow(string Account, string Amount);

    public static void Map(RouteGroupBuilder api, ApiContext ctx)
    {
        var g = api.MapGroup("/epochs").WithTags("Epochs");

        g.MapGet("/{epoch:long}", async (long epoch, CancellationToken ct) =>
        {
            await using var c = await ctx.Db.OpenAsync(ct);
            var e = await c.QueryFirstOrDefaultAsync<EpochRow>("""
                SELECT epoch AS Epoch, fees AS Fees, root AS Root, total AS Total, distributable AS Distributable, claimed AS Claimed, posted_block AS PostedBlock
                FROM epochs WHERE epoch = @epoch
                """, new { epoch }) ?? throw new ApiException(404, "Unknown epoch", $"epoch {epoch} has no fees or root on the chain");
            var claims = (await c.QueryAsync<ClaimDto>("SELECT epoch AS Epoch, account AS Account, amount AS Amount, block_number AS BlockNumber FROM claims WHERE epoch = @epoch ORDER BY account", new { epoch })).ToList();
            List<EpochLeafDto>? leaves = null;
            long? recordCount = null;
            if (e.Root != null)
            {
                recordCount = await c.QueryFirstOrDefaultAsync<long?>("SELECT records FROM epoch_record_sets WHERE epoch = @epoch AND root = @root", new { epoch, root = e.Root });
                var rows = (await c.QueryAsync<LeafRow>("SELECT account AS Account, amount AS Amount FROM epoch_leaves WHERE epoch = @epoch AND root = @root ORDER BY account", new { epoch, root = e.Root })).ToList();
                if (rows.Count > 0)
                {
                    var tree = StandardMerkleTree.Of(rows.Select(r => (Address.Parse(r.Account), UInt256.Parse(r.Amount))).ToList());
                    var claimed = claims.Select(x => x.Account).ToHashSet();
                    leaves = rows.Select((r, i) => new EpochLeafDto(r.Account, r.Amount, claimed.Contains(r.Account), tree.GetProof(i).Select(h => h.ToString()).ToList())).ToList();
                }
            }
            return new EpochDto(e.Epoch, e.Fees, e.Root, e.Total, e.Distributable, e.Claimed, e.PostedBlock, claims, leaves, LeafEncoding, recordCount);
        }).WithName("GetEpoch").WithSummary("An epoch's fees, root, claims and (once published) its leaves with proofs.");

        g.MapPut("/{epoch:long}/leaves", async (long epoch, EpochLeavesRequest body, CancellationToken ct) =>
        {
            if (body?.Claims is not { Count: > 0 } claims) throw new ApiException(400, "No leaves", "claims must list at least one {account, amount}");
            if (claims.Count > 1_000_000) throw new ApiException(413, "Too many leaves", "at most 1,000,000 leaves per epoch");
            var values = new List<(Address, UInt256)>(claims.Count);
            foreach (var (leaf, i) in claims.Select((x, i) => (x, i)))
            {
                if (leaf is null || !Address.TryParse(leaf.Account, out var a)) throw new ApiException(400, "Bad leaf", $"claims[{i}].account is not an address");
                if (!UInt256.TryParse(leaf.Amount, out var amt)) throw new ApiException(400, "Bad leaf", $"claims[{i}].amount is not a uint256");
                values.Add((a, amt));
            }
            StandardMerkleTree tree;
            try { tree = StandardMerkleTree.Of(values); }
            catch (ArgumentException e) { throw new ApiException(400, "Bad leaves", e.Message); }
            await using var c = await ctx.Db.OpenAsync(ct);
            var root = await c.QueryFirstOrDefaultAsync<string?>("SELECT root FROM epochs WHERE epoch = @epoch", new { epoch })
                ?? throw new ApiException(409, "No root on the chain", $"epoch {epoch} has no posted root yet");
            if (!string.Equals(root, tree.Root.ToString(), StringComparison.OrdinalIgnoreCase))
                throw new ApiException(409, "Root does not match the chain", $"these leaves give {tree.Root}; the chain's root of epoch {epoch} is {root}");
            await using var tx = await c.BeginTransactionAsync(ct);
            await c.ExecuteAsync("DELETE FROM epoch_leaves WHERE epoch = @epoch", new { epoch }, tx);
            await c.ExecuteAsync("INSERT INTO epoch_leaves (epoch, root, account, amount) VALUES (@epoch, @root, @account, @amount)",
                values.Select(v => new { epoch, root, account = v.Item1.ToLowerHex(), amount = v.Item2.ToString() }), tx);
            await tx.CommitAsync(ct);
            return Results.NoContent();
        }).WithName("PublishEpochLeaves")
          .WithSummary("Publishes an epoch's leaves (the \"claims\" of `openledger attribution epoch` output); accepted only when they hash to the chain's root.")
          .Produces(204).ProducesProblem(400).ProducesProblem(409);
    }
}
