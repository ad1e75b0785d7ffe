using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Merkle;

namespace OpenLedger.Datanets.Api;

/// <summary>/api/accounts/{address}: one account's contributions and rewards (claimed, and unclaimed leaves of published trees).</summary>
public static class AccountEndpoints
{
    private sealed class Stats
    {
        public long Total { get; set; }
        public long Approved { get; set; }
        public long Rejected { get; set; }
        public long Pending { get; set; }
        public long Bytes { get; set; }
    }

    private sealed record Leaf(long Epoch, string Root, string Account, string Amount);

    public static void Map(RouteGroupBuilder api, ApiContext ctx)
    {
        var g = api.MapGroup("/accounts").WithTags("Accounts");

        g.MapGet("/{address}", async (string address, CancellationToken ct) =>
        {
            var a = Parse(address);
            await using var c = await ctx.Db.OpenAsync(ct);
            var s = await c.QueryFirstAsync<Stats>("""
                SELECT COUNT(*) AS Total,
                       CAST(COALESCE(SUM(CASE WHEN status = 2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS Approved,
                       CAST(COALESCE(SUM(CASE WHEN status = 3 THEN 1 ELSE 0 END), 0) AS BIGINT) AS Rejected,
                       CAST(COALESCE(SUM(CASE WHEN status = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS Pending,
                       CAST(COALESCE(SUM(size), 0) AS BIGINT) AS Bytes
                FROM contributions WHERE contributor = @a
                """, new { a });
            var claims = (await c.QueryAsync<ClaimDto>("SELECT epoch AS Epoch, account AS Account, amount AS Amount, block_number AS BlockNumber FROM claims WHERE account = @a ORDER BY epoch", new { a })).ToList();
            // Leaves of this account in trees that still match the chain's root, not yet claimed.
            var mine = (await c.QueryAsync<Leaf>("""
                SELECT l.epoch AS Epoch, l.root AS Root, l.account AS Account, l.amount AS Amount FROM epoch_leaves l
                JOIN epochs e ON e.epoch = l.epoch AND e.root = l.root
                WHERE l.account = @a AND NOT EXISTS (SELECT 1 FROM claims k WHERE k.epoch = l.epoch AND k.account = @a)
                ORDER BY l.epoch
                """, new { a })).ToList();
            var unclaimed = new List<UnclaimedDto>();
            foreach (var leaf in mine)
            {
                var all = (await c.QueryAsync<EpochEndpoints.LeafRow>("SELECT account AS Account, amount AS Amount FROM epoch_leaves WHERE epoch = @e ORDER BY account", new { e = leaf.Epoch })).ToList();
                var tree = StandardMerkleTree.Of(all.Select(r => (Address.Parse(r.Account), UInt256.Parse(r.Amount))).ToList());
                unclaimed.Add(new UnclaimedDto(leaf.Epoch, leaf.Root, leaf.Amount, tree.GetProof(Address.Parse(a)).Select(h => h.ToString()).ToList()));
            }
            return new AccountDto(a, s.Total, s.Approved, s.Rejected, s.Pending, s.Bytes, claims, unclaimed);
        }).WithName("GetAccount").WithSummary("An account's contribution counts, claimed rewards and unclaimed rewards with the proofs claim() needs (claims open after the epoch's challenge window).");

        g.MapGet("/{address}/contributions", async (string address, int? limit, string? cursor, CancellationToken ct) =>
        {
            var a = Parse(address);
            var (l, after) = Paging.Parse(limit, cursor);
            await using var c = await ctx.Db.OpenAsync(ct);
            var rows = (await c.QueryAsync<DatanetEndpoints.ContributionRow>($"SELECT {DatanetEndpoints.ContributionColumns} FROM contributions c WHERE c.contributor = @a AND c.id > @after ORDER BY c.id LIMIT @n",
                new { a, after, n = l + 1 })).Select(r => r.Dto()).ToList();
            return Paging.Of(rows, l, r => r.Id);
        }).WithName("ListAccountContributions").WithSummary("An account's contributions over all Datanets (paged).");
    }

    private static string Parse(string address) =>
        Address.TryParse(address, out var a) ? a.ToLowerHex() : throw new ApiException(400, "Bad address", $"\"{address}\" is not a 20-byte 0x address");
}
