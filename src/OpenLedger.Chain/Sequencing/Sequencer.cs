using Microsoft.Extensions.Logging;
using OpenLedger.Chain.Rollup;

namespace OpenLedger.Chain.Sequencing;

/// <summary>How the sequencer seals blocks: on a fixed interval (empty blocks included, like a real chain), or as soon as a transaction arrives (tests).</summary>
public sealed record SequencerOptions
{
    /// <summary>Block interval; null selects instant mode.</summary>
    public TimeSpan? BlockTime { get; init; } = TimeSpan.FromSeconds(1);
    public int MaxTransactionsPerBlock { get; init; } = 10_000;
    /// <summary>Unix seconds a rollup block may not be sealed ahead of; wall time when null (a devnet's time travel moves it).</summary>
    public Func<ulong>? Clock { get; init; }
}

/// <summary>
/// Orders pool transactions into blocks: one dedicated thread, the only block producer of a sequencing node. With a
/// <see cref="RollupBlockPlanner"/> every block goes through <see cref="Blockchain.BuildBlock"/> with the planner's payload
/// attributes (L1 origin, L1 attributes deposit first, timestamps parent + block time, never ahead of the wall clock in
/// interval mode); without one the chain is a standalone (non-rollup) chain and blocks hold pool transactions only.
/// The thread is its own (not the thread pool's), so RPC work that fills the pool cannot delay a seal. Repeated failures
/// (a full disk, a broken store) back off exponentially and are reported through <see cref="Health"/>.
/// </summary>
public sealed class Sequencer : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    private readonly Blockchain _chain;
    private readonly RollupBlockPlanner? _rollup;
    private readonly SequencerOptions _options;
    private readonly ILogger? _logger;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private int _failures;
    private string? _lastError;
    private long _missedSlots;
    private long _lastSealTicks = DateTime.UtcNow.Ticks;

    public Sequencer(Blockchain chain, SequencerOptions options, ILogger? logger = null, RollupBlockPlanner? rollup = null)
    {
        _chain = chain;
        _rollup = rollup;
        _options = options;
        _logger = logger;
        if (options.BlockTime is null) chain.Pool.Added += _ => _wake.Release();
    }

    /// <summary>Interval slots whose block started more than one interval late (none on a healthy node).</summary>
    public long MissedSlots => Interlocked.Read(ref _missedSlots);

    /// <summary>Failed attempts in a row (0 after a block is sealed) and the wait before the next attempt.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _failures);
    public TimeSpan RetryDelay => Backoff(ConsecutiveFailures);

    /// <summary>Null when block production works; otherwise why it does not.</summary>
    public string? Health()
    {
        int failures = ConsecutiveFailures;
        if (failures > 0) return $"block production failing ({failures} attempts in a row): {Volatile.Read(ref _lastError)}";
        if (_options.BlockTime is { } bt)
        {
            var since = DateTime.UtcNow - new DateTime(Interlocked.Read(ref _lastSealTicks), DateTimeKind.Utc);
            var allowed = TimeSpan.FromTicks(Math.Max(bt.Ticks * 5, TimeSpan.FromSeconds(10).Ticks));
            if (since > allowed) return $"no block sealed for {since.TotalSeconds:0} s (block time {bt.TotalMilliseconds:0} ms)";
        }
        return null;
    }

    public void Start()
    {
        _thread = new Thread(() => Run(_stop.Token)) { IsBackground = true, Name = "sequencer" };
        _thread.Start();
    }

    private static TimeSpan Backoff(int failures) =>
        failures <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, FirstRetry.Ticks << Math.Min(failures - 1, 20)));

    private void Run(CancellationToken ct)
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
                    if (wait > TimeSpan.Zero && ct.WaitHandle.WaitOne(wait)) return;
                    // A block that overran its slot starts the next slot now rather than queuing a burst of catch-up blocks.
                    if (DateTime.UtcNow > next + interval)
                    {
                        Interlocked.Increment(ref _missedSlots);
                        next = DateTime.UtcNow + interval;
                    }
                    else next += interval;
                    // A rollup block's time is parent + block time: never seal one ahead of the wall clock.
                    if (_rollup is null || _rollup.NextTimestamp <= Now())
                        Seal(allowEmpty: true, ct);
                    else Interlocked.Exchange(ref _lastSealTicks, DateTime.UtcNow.Ticks); // waiting on purpose, not stuck
                    // Behind the wall clock (after downtime): catch up without waiting for the next slot.
                    if (_rollup is not null && _rollup.NextTimestamp < Now()) next = DateTime.UtcNow;
                }
                else
                {
                    _wake.Wait(ct);
                    // Drain whatever arrived meanwhile into as few blocks as needed.
                    while (_chain.Pool.Status().Pending > 0 && Seal(allowEmpty: false, ct)) { }
                }
                if (Volatile.Read(ref _failures) > 0)
                {
                    _logger?.LogWarning("block production recovered after {Failures} failed attempts", _failures);
                    Volatile.Write(ref _failures, 0);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A failed block leaves the head where it was; keep trying, less and less often, and say why once per attempt.
                // (An L1OriginException says no block can name a valid L1 origin now: L1 behind, reorganized, or the drift limit reached.)
                int failures = Interlocked.Increment(ref _failures);
                Volatile.Write(ref _lastError, e.Message);
                var delay = e is L1OriginException ? TimeSpan.FromTicks(Math.Max(Backoff(failures).Ticks, TimeSpan.FromSeconds(1).Ticks)) : Backoff(failures);
                if (e is L1OriginException) _logger?.LogError("cannot sequence: {Reason}; retrying in {Delay} ms", e.Message, delay.TotalMilliseconds);
                else _logger?.LogError(e, "block production failed ({Failures} in a row); retrying in {Delay} ms", failures, delay.TotalMilliseconds);
                if (ct.WaitHandle.WaitOne(delay)) return;
                if (_options.BlockTime is { } bt) next = DateTime.UtcNow + bt;
            }
        }
    }

    private ulong Now() => _options.Clock?.Invoke() ?? (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private bool Seal(bool allowEmpty, CancellationToken ct)
    {
        // The planner may ask L1 (asynchronously); this thread is the sequencer's own, so waiting here blocks no one else.
        var block = _rollup is null
            ? _chain.ProduceBlock((ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), allowEmpty, _options.MaxTransactionsPerBlock)
            : _chain.BuildBlock(_rollup.NextAsync(ct).GetAwaiter().GetResult(), allowEmpty, _options.MaxTransactionsPerBlock);
        Interlocked.Exchange(ref _lastSealTicks, DateTime.UtcNow.Ticks);
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
        if (_thread != null) await Task.Run(() => _thread.Join());
        _stop.Dispose();
    }
}
