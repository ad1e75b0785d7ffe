using Microsoft.Extensions.Logging;
using OpenLedger.Chain.Rollup;

namespace OpenLedger.Chain.Sequencing;

/// <summary>How the sequencer seals blocks: on a fixed interval (empty blocks included, like a real chain), or as soon as a transaction arrives (tests).</summary>
public sealed record SequencerOptions
{
    /// <summary>Block interval; null selects instant mode.</summary>
    public TimeSpan? BlockTime { get; init; } = TimeSpan.FromSeconds(1);
    public int MaxTransactionsPerBlock { get; init; } = 10_000;
}

/// <summary>
/// Orders pool transactions into blocks: one background loop, the only block producer of a sequencing node. With a
/// <see cref="RollupBlockPlanner"/> every block goes through <see cref="Blockchain.BuildBlock"/> with the planner's payload
/// attributes (L1 origin, L1 attributes deposit first, timestamps parent + block time, never ahead of the wall clock in
/// interval mode); without one the chain is a standalone (non-rollup) chain and blocks hold pool transactions only.
/// </summary>
public sealed class Sequencer : IAsyncDisposable
{
    private readonly Blockchain _chain;
    private readonly RollupBlockPlanner? _rollup;
    private readonly SequencerOptions _options;
    private readonly ILogger? _logger;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public Sequencer(Blockchain chain, SequencerOptions options, ILogger? logger = null, RollupBlockPlanner? rollup = null)
    {
        _chain = chain;
        _rollup = rollup;
        _options = options;
        _logger = logger;
        if (options.BlockTime is null) chain.Pool.Added += _ => _wake.Release();
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken ct)
    {
        // Blocks start on a fixed cadence: the time spent building one comes out of the wait for the next,
        // instead of stretching every interval by the build time.
        var next = DateTime.UtcNow + (_options.BlockTime ?? TimeSpan.Zero);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (_options.BlockTime is { } interval)
                {
                    var wait = next - DateTime.UtcNow;
                    if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
                    // A block that overran its slot starts the next slot now rather than queuing a burst of catch-up blocks.
                    next = DateTime.UtcNow > next + interval ? DateTime.UtcNow + interval : next + interval;
                    // A rollup block's time is parent + block time: never seal one ahead of the wall clock.
                    if (_rollup is null || _rollup.NextTimestamp <= (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds())
                        await SealAsync(allowEmpty: true, ct);
                    // Behind the wall clock (after downtime): catch up without waiting for the next slot.
                    if (_rollup is not null && _rollup.NextTimestamp < (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds()) next = DateTime.UtcNow;
                }
                else
                {
                    await _wake.WaitAsync(ct);
                    // Drain whatever arrived meanwhile into as few blocks as needed.
                    while (_chain.Pool.Status().Pending > 0 && await SealAsync(allowEmpty: false, ct)) { }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (L1OriginException e)
            {
                // No block can name a valid L1 origin now (L1 behind, reorganized, or the drift limit reached): say so and retry.
                _logger?.LogError("cannot sequence: {Reason}", e.Message);
                await Task.Delay(1000, CancellationToken.None);
            }
            catch (Exception e)
            {
                // A failed block leaves the head where it was; keep sequencing and say why.
                _logger?.LogError(e, "block production failed");
                await Task.Delay(200, CancellationToken.None);
            }
        }
    }

    private async Task<bool> SealAsync(bool allowEmpty, CancellationToken ct)
    {
        var block = _rollup is null
            ? _chain.ProduceBlock((ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), allowEmpty, _options.MaxTransactionsPerBlock)
            : _chain.BuildBlock(await _rollup.NextAsync(ct), allowEmpty, _options.MaxTransactionsPerBlock);
        if (block is null) return false;
        // Empty interval blocks are routine: keep them out of the default log.
        int forced = _rollup is null ? 0 : 1; // the L1 attributes deposit
        _logger?.Log(block.Block.Transactions.Count > forced ? LogLevel.Information : LogLevel.Debug,
            "sealed block {Number} {Hash} txs={Txs} gas={Gas}", block.Block.Number, block.Block.Hash, block.Block.Transactions.Count, block.Block.Header.GasUsed);
        // Forced transactions (the L1 attributes deposit) do not count: the loop drains the pool.
        return block.Block.Transactions.Count > forced;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop != null) await _loop;
        _stop.Dispose();
    }
}
