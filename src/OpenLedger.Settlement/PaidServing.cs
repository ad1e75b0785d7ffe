using Microsoft.Extensions.Logging;
using OpenLedger.Primitives;
using OpenLedger.Settlement.Chain;
using OpenLedger.Settlement.Queue;

namespace OpenLedger.Settlement;

/// <summary>
/// What `openledger serve --payments ADDR --settler-key KEY` runs beside the server: the journal in its directory,
/// the paid <see cref="OnchainInferencePayments"/>, and the background <see cref="SettlementSender"/> (started at
/// once, so charges left pending by an earlier run are settled first).
/// </summary>
public sealed class PaidServing : IAsyncDisposable
{
    private PaidServing(SettlementJournal journal, SettlementSender sender, OnchainInferencePayments payments)
    {
        Journal = journal; Sender = sender; Payments = payments;
    }

    public SettlementJournal Journal { get; }
    public SettlementSender Sender { get; }
    public OnchainInferencePayments Payments { get; }

    public static async Task<PaidServing> StartAsync(string rpcUrl, Address paymentsContract, byte[] settlerKey, string directory,
        int batchSize = 32, TimeSpan? maxDelay = null, ILogger? logger = null)
    {
        var chain = new ChainClient(rpcUrl);
        var chainId = await chain.ChainIdAsync();
        var contract = new PaymentsContract(chain, paymentsContract);
        await contract.CurrentEpochAsync(); // fails here, clearly, when the address holds no InferencePayments
        var journal = new SettlementJournal(directory);
        var sender = new SettlementSender(contract, settlerKey, journal, logger) { BatchSize = batchSize, MaxDelay = maxDelay ?? TimeSpan.FromSeconds(10) };
        var payments = new OnchainInferencePayments(contract, chainId, journal, sender, logger);
        if (journal.PendingCount > 0) logger?.LogInformation("settlement: {Count} charges left pending by an earlier run; settling them", journal.PendingCount);
        sender.Start();
        sender.Notify();
        return new PaidServing(journal, sender, payments);
    }

    /// <summary>Settles what is pending (bounded wait), then stops; whatever is left stays in the journal for the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try { await Sender.FlushAsync(cts.Token); }
            catch (Exception) { /* kept in the journal; settled at the next start */ }
        }
        await Sender.DisposeAsync();
        Journal.Dispose();
    }
}
