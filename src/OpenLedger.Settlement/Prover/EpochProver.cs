using Microsoft.Extensions.Logging;
using OpenLedger.Attribution.Epochs;
using OpenLedger.Attribution.Records;
using OpenLedger.Primitives;
using OpenLedger.Settlement.Chain;

namespace OpenLedger.Settlement.Prover;

/// <summary>
/// Closes an epoch: once the chain's time has passed the epoch's end (no charge can enter it any more), reads its
/// <c>Charged</c> events, matches each committed hash to a record from the servers' records files, re-derives the
/// record (<see cref="RecordReproducer"/>), resolves who is paid from the registries, builds the epoch with
/// <see cref="EpochBuilder"/> under the split READ from AttributionRewards, and posts the root. Charges whose
/// record is missing, altered or not reproducible are left out with the reason (their fees go to the treasury with
/// the protocol share when the epoch is released).
/// </summary>
public sealed class EpochProver(PaymentsContract payments, RewardsContract rewards, RegistryReads registries, RecordReproducer reproducer, ILogger? logger = null)
{
    /// <summary>Builds the epoch file without posting (throws with a clear message when the epoch cannot be closed yet).</summary>
    /// <param name="posted">True to rebuild an epoch whose root is already on the chain (a prover resuming after a crash
    /// between posting and writing its file; the caller compares the roots).</param>
    public async Task<EpochFile> BuildAsync(ulong epoch, IReadOnlyDictionary<Hash256, AttributionRecord> records, Address? stakersPool, ulong fromBlock = 0, bool posted = false)
    {
        var chain = payments.Chain;
        var end = await payments.EpochEndAsync(epoch);
        var now = await chain.LatestTimestampAsync();
        if (now < end)
            throw new InvalidOperationException($"epoch {epoch} takes charges until {end}; the chain's latest block is at {now} ({end - now} s to go)");
        var onChain = await rewards.GetEpochAsync(epoch);
        if (onChain.Posted && !posted) throw new InvalidOperationException($"epoch {epoch} already has root {onChain.Root} on the chain");

        var head = await chain.BlockNumberAsync();
        var charges = await payments.ChargedAsync(epoch, fromBlock, head);
        var split = await rewards.SplitAsync();
        var pool = stakersPool ?? await rewards.TreasuryAsync();
        var contributors = new Dictionary<ulong, Address>();
        var owners = new Dictionary<Hash256, Address>();
        var inferences = new HashSet<Hash256>();
        var entries = new List<EpochEntry>();
        var rejected = new List<RejectedCharge>();
        foreach (var c in charges)
        {
            var reason = await AcceptAsync(c, records, contributors, owners, inferences);
            if (reason == null) entries.Add(new EpochEntry(c, records[c.RecordHash]));
            else
            {
                rejected.Add(new RejectedCharge(c, reason));
                logger?.LogWarning("prover: epoch {Epoch}: charge {User}:{Nonce} left out: {Reason}", epoch, c.User, c.Nonce, reason);
            }
        }
        var accounts = new EpochAccounts(contributors, owners, pool);
        var result = EpochFile.Build(epoch, entries, split, accounts);
        if (result.Distributable > onChain.Fees)
            throw new InvalidOperationException($"epoch {epoch}: the accepted records' fees give {result.Distributable} distributable, more than the {onChain.Fees} deposited");
        return new EpochFile
        {
            ChainId = await chain.ChainIdAsync(), Epoch = epoch, Payments = payments.Address, Rewards = rewards.Address, Split = split,
            Accounts = accounts, Entries = entries, Rejected = rejected, Result = result,
        };
    }

    /// <summary>Posts the file's root with its distributable total; returns the transaction.</summary>
    public async Task<ChainReceipt> PostAsync(EpochFile file, byte[] posterKey)
    {
        if (file.Result.Tree == null) throw new InvalidOperationException($"epoch {file.Epoch} has nothing to distribute: no root to post");
        var data = RewardsContract.PostRoot.EncodeCall(new UInt256(file.Epoch), file.Result.Root, file.Result.Distributable);
        var receipt = await rewards.Chain.SendAsync(posterKey, rewards.Address, data);
        if (!receipt.Succeeded) throw new InvalidOperationException($"postRoot for epoch {file.Epoch} reverted (tx {receipt.TransactionHash})");
        file.PostTransaction = receipt.TransactionHash;
        return receipt;
    }

    private async Task<string?> AcceptAsync(ChargedEvent c, IReadOnlyDictionary<Hash256, AttributionRecord> records,
        Dictionary<ulong, Address> contributors, Dictionary<Hash256, Address> owners, HashSet<Hash256> inferences)
    {
        if (!records.TryGetValue(c.RecordHash, out var record)) return $"no record with hash {c.RecordHash} in the records given";
        if (record.Fee != c.Fee) return $"the record's fee {record.Fee} is not the charged fee {c.Fee}";
        if (inferences.Contains(record.InferenceId)) return $"inference {record.InferenceId} was already charged in this epoch";
        if (reproducer.Check(record) is { } why) return why;
        Address owner;
        try { owner = (await registries.ModelAsync(c.ModelId)).Owner; }
        catch (Exception e) when (e is not OperationCanceledException) { return $"model {c.ModelId} could not be read from ModelRegistry: {e.Message}"; }
        if (owners.TryGetValue(record.ModelId, out var known) && known != owner)
            return $"record model {record.ModelId} is already paid to {known} in this epoch, but registry model {c.ModelId} is owned by {owner}";
        var found = new Dictionary<ulong, Address>();
        foreach (var s in record.Shares)
        {
            if (contributors.TryGetValue(s.ContributionId, out var a)) continue;
            try { found[s.ContributionId] = await registries.ContributorAsync(s.ContributionId); }
            catch (Exception e) when (e is not OperationCanceledException) { return $"contribution {s.ContributionId} could not be read from DatanetRegistry: {e.Message}"; }
        }
        foreach (var kv in found) contributors[kv.Key] = kv.Value;
        owners[record.ModelId] = owner;
        inferences.Add(record.InferenceId);
        return null;
    }
}
