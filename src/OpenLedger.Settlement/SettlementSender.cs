using Microsoft.Extensions.Logging;
using OpenLedger.Primitives;
using OpenLedger.Settlement.Chain;
using OpenLedger.Settlement.Queue;

namespace OpenLedger.Settlement;

/// <summary>
/// Settles the journal's pending charges in batches: when <see cref="BatchSize"/> are pending, or the oldest has
/// waited <see cref="MaxDelay"/>. Before each batch it asks the chain which are already charged (a batch mined just
/// before a crash) and completes those without resending. A failed send is retried on the next tick; nothing is
/// dropped until the chain has charged or rejected it.
/// </summary>
public sealed class SettlementSender : IAsyncDisposable
{
    private readonly PaymentsContract _contract;
    private readonly byte[] _key;
    private readonly SettlementJournal _journal;
    private readonly ILogger? _logger;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public int BatchSize { get; init; } = 32;
    /// <summary>Most items per settle transaction.</summary>
    public int MaxBatch { get; init; } = 200;
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Charges the chain accepted and rejected so far (this process).</summary>
    public long Charged => Interlocked.Read(ref _charged);
    public long Rejected => Interlocked.Read(ref _rejected);
    private long _charged, _rejected;

    public SettlementSender(PaymentsContract contract, byte[] settlerKey, SettlementJournal journal, ILogger? logger = null)
    {
        if (settlerKey is not { Length: 32 }) throw new ArgumentException("the settler key must be 32 bytes");
        _contract = contract; _key = settlerKey; _journal = journal; _logger = logger;
    }

    public void Start() => _loop ??= Task.Run(LoopAsync);

    public void Notify() => _signal.Release();

    private async Task LoopAsync()
    {
        var ct = _stop.Token;
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(MaxDelay.TotalMilliseconds / 4, 50, 1000));
        while (!ct.IsCancellationRequested)
        {
            try { await _signal.WaitAsync(tick, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
            var pending = _journal.Pending();
            if (pending.Count == 0) continue;
            if (pending.Count < BatchSize && DateTimeOffset.UtcNow - pending[0].QueuedAt < MaxDelay) continue;
            try { await FlushAsync(ct).ConfigureAwait(false); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception e) { _logger?.LogWarning(e, "settlement: batch failed; retrying"); await Task.Delay(tick, CancellationToken.None).ConfigureAwait(false); }
        }
    }

    /// <summary>Settles everything pending now (in batches of at most <see cref="MaxBatch"/>).</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        await _flushLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (_journal.Pending() is { Count: > 0 } pending)
            {
                var batch = new List<PendingCharge>();
                var already = new List<(string, string)>();
                foreach (var p in pending.Take(MaxBatch))
                {
                    var onChain = await _contract.ChargedRecordAsync(p.Item.Authorization.User, p.Item.Authorization.Nonce).ConfigureAwait(false);
                    if (onChain == p.Item.RecordHash) already.Add((p.Key, "charged (found on chain)"));
                    else if (onChain != Hash256.Zero) already.Add((p.Key, $"rejected: nonce charged with another record {onChain}"));
                    else batch.Add(p);
                }
                _journal.Complete(already, null);
                if (batch.Count == 0) continue;
                var receipt = await _contract.Chain.SendAsync(_key, _contract.Address, PaymentsContract.EncodeSettle(batch.Select(b => b.Item).ToArray()), ct: ct).ConfigureAwait(false);
                if (!receipt.Succeeded) throw new InvalidOperationException($"settle transaction {receipt.TransactionHash} reverted");
                var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var log in receipt.Logs.Where(l => l.Address == _contract.Address && l.Topics.Count > 0))
                {
                    if (log.Topics[0] == PaymentsContract.Charged.Topic0)
                    {
                        var e = PaymentsContract.DecodeCharged(log);
                        outcomes[PendingCharge.KeyOf(e.User, e.Nonce)] = $"charged in epoch {e.Epoch}";
                        Interlocked.Increment(ref _charged);
                    }
                    else if (log.Topics[0] == PaymentsContract.ChargeRejected.Topic0)
                    {
                        var e = PaymentsContract.ChargeRejected.Decode(log.Topics, log.Data);
                        var reason = (ChargeRejection)(byte)((UInt256)e["reason"]!).u0;
                        var key = PendingCharge.KeyOf((Address)e["user"]!, (UInt256)e["nonce"]!);
                        outcomes.TryAdd(key, $"rejected: {reason}");
                        Interlocked.Increment(ref _rejected);
                        _logger?.LogWarning("settlement: the contract rejected charge {Key}: {Reason} (the fee is lost)", key, reason);
                    }
                }
                _journal.Complete(batch.Select(b => (b.Key, outcomes.GetValueOrDefault(b.Key, "rejected: no event"))), receipt.TransactionHash.ToString());
                _logger?.LogInformation("settlement: tx {Tx} in block {Block}: {Count} charges", receipt.TransactionHash, receipt.BlockNumber, batch.Count);
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_loop != null) { try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { } }
        _stop.Dispose();
    }
}
