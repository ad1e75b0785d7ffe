using Microsoft.Extensions.Logging;

namespace OpenLedger.Chain.Sequencing;

/// <summary>How the sequencer seals blocks: on a fixed interval (empty blocks included, like a real chain), or as soon as a transaction arrives (tests).</summary>
public sealed record SequencerOptions
{
    /// <summary>Block interval; null selects instant mode.</summary>
    public TimeSpan? BlockTime { get; init; } = TimeSpan.FromSeconds(1);
    public int MaxTransactionsPerBlock { get; init; } = 10_000;
}

/// <summary>Orders pool transactions into blocks: one background loop, the only caller of <see cref="Blockchain.ProduceBlock"/>.</summary>
public sealed class Sequencer : IAsyncDisposable
{
    private readonly Blockchain _chain;
    private readonly SequencerOptions _options;
    private readonly ILogger? _logger;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public Sequencer(Blockchain chain, SequencerOptions options, ILogger? logger = null)
    {
        _chain = chain;
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
                    Seal(allowEmpty: true);
                }
                else
                {
                    await _wake.WaitAsync(ct);
                    // Drain whatever arrived meanwhile into as few blocks as needed.
                    while (_chain.Pool.Status().Pending > 0 && Seal(allowEmpty: false)) { }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A failed block leaves the head where it was; keep sequencing and say why.
                _logger?.LogError(e, "block production failed");
                await Task.Delay(200, CancellationToken.None);
            }
        }
    }

    private bool Seal(bool allowEmpty)
    {
        var block = _chain.ProduceBlock((ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), allowEmpty, _options.MaxTransactionsPerBlock);
        if (block is null) return false;
        // Empty interval blocks are routine: keep them out of the default log.
        _logger?.Log(block.Block.Transactions.Count > 0 ? LogLevel.Information : LogLevel.Debug,
            "sealed block {Number} {Hash} txs={Txs} gas={Gas}", block.Block.Number, block.Block.Hash, block.Block.Transactions.Count, block.Block.Header.GasUsed);
        return block.Block.Transactions.Count > 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop != null) await _loop;
        _stop.Dispose();
    }
}
