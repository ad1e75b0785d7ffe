using System.Text.Json.Nodes;
using OpenLedger.Primitives;
using OpenLedger.Settlement.Chain;

namespace OpenLedger.Settlement.Prover;

/// <summary>
/// What an account can claim across published epoch files (`openledger rewards claimable`): each epoch's amount, whether
/// it was claimed, whether the file's root is the one on the chain, and when claims open. A file whose root is not the
/// chain's counts for nothing.
/// </summary>
public static class ClaimableReport
{
    public static async Task<JsonObject> BuildAsync(ChainClient chain, Address account, IEnumerable<JsonObject> epochFiles)
    {
        var now = await chain.LatestTimestampAsync();
        var rows = new JsonArray();
        var total = UInt256.Zero;
        foreach (var json in epochFiles)
        {
            if (EpochFile.ClaimOf(json, account) is not { } c) continue;
            var epoch = EpochFile.EpochOf(json);
            var rewards = new RewardsContract(chain, EpochFile.RewardsOf(json));
            var e = await rewards.GetEpochAsync(epoch);
            bool claimed = await rewards.IsClaimedAsync(epoch, account);
            bool rootMatches = e.Posted && string.Equals(e.Root.ToString(), json["root"]?.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
            if (!claimed && rootMatches) total += c.Amount;
            rows.Add(new JsonObject
            {
                ["epoch"] = epoch, ["amount"] = c.Amount.ToString(), ["claimed"] = claimed, ["rootOnChain"] = rootMatches,
                ["claimableAt"] = e.ClaimableAt, ["claimableNow"] = rootMatches && !claimed && now >= e.ClaimableAt,
            });
        }
        return new JsonObject { ["account"] = account.ToString(), ["unclaimed"] = total.ToString(), ["epochs"] = rows };
    }
}
