using Microsoft.Extensions.Logging;
using OpenLedger.Chain;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Derivation;
using OpenLedger.Rollup.Engine;
using OpenLedger.Rollup.L1;

namespace OpenLedger.Node.Hosting;

/// <summary>
/// The node's derivation loop, the same for both roles: reads L1 (Nethereum) through the pipeline, and
/// <see cref="ChainEngine"/> executes or confirms each derived block on the chain, moving <c>safe</c>; the finalized
/// head follows finalized L1. On a replica every block comes from here; on a sequencer its own blocks are confirmed
/// (or, if L1 says otherwise, replaced). Errors (L1 unreachable, an L1 reorg past what can be rewound) are logged and
/// retried with backoff, and <see cref="Health"/> names the last one; derivation never takes the node down.
/// </summary>
public sealed class RollupDerivation : IAsyncDisposable
{
    private readonly RollupConfig _config;
    private readonly RpcL1Source _l1;
    private readonly ChainEngine _engine;
    private readonly Deriver _deriver;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _poll;
    private Task? _loop;
    private volatile string? _error;
    private volatile L1Status _status = new(null, null, null, null);

    /// <summary>The L1 side of op-node's sync status: the derivation origin and the L1's head, safe and finalized blocks.</summary>
    public sealed record L1Status(L1BlockRef? Current, L1BlockRef? Head, L1BlockRef? Safe, L1BlockRef? Finalized);

    public RollupDerivation(Blockchain chain, RollupConfig config, string l1Rpc, ILogger logger, TimeSpan? poll = null)
    {
        _config = config;
        _logger = logger;
        _poll = poll ?? TimeSpan.FromMilliseconds(500);
        _l1 = RpcL1Source.Create(l1Rpc, config.L1SystemConfigAddress, config.DepositContractAddress == Primitives.Address.Zero ? null : config.DepositContractAddress);
        _engine = new ChainEngine(chain, config, logger);
        _deriver = new Deriver(config, _l1, _engine, logger) { SystemConfigAt = _engine.SystemConfigAt };
        _deriver.BlockDerived += _engine.RecordDerived;
        if (_engine.SafeDerivedAt is { } at) _deriver.Resume(_engine.SafeHead, at);
        ResumedSafe = _engine.SafeHead.Number;
        if (_engine.SafeHead.Number > config.GenesisL2.Number)
            logger.LogInformation("derivation resumes at safe block {Safe}, finalized {Finalized}", _engine.SafeHead.Number, _engine.FinalizedHead.Number);
    }

    public RollupConfig Config => _config;
    /// <summary>The safe head restored from the store at start (genesis on a fresh node).</summary>
    public ulong ResumedSafe { get; }
    public ChainEngine Engine => _engine;
    public L1Status L1 => _status;

    /// <summary>Null while derivation works; otherwise why it is stuck (retried).</summary>
    public string? Health => _error;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>One round: derive all L1 allows, then move finalized and refresh the L1 view. Tests call it directly.</summary>
    public async Task<int> StepAsync(CancellationToken ct)
    {
        int derived = await _deriver.StepAsync(_engine.SystemConfigAt(_engine.SafeHead), ct).ConfigureAwait(false);
        if (_deriver.FinalizedHead is { } fin) _engine.SetFinalized(fin);
        var head = await _l1.BlockRefByTagAsync("latest", ct).ConfigureAwait(false);
        var safe = await _l1.BlockRefByTagAsync("safe", ct).ConfigureAwait(false);
        var finalized = await _l1.BlockRefByTagAsync("finalized", ct).ConfigureAwait(false);
        _status = new L1Status(_deriver.CurrentL1, head, safe, finalized);
        return derived;
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var backoff = _poll;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                int n = await StepAsync(ct).ConfigureAwait(false);
                if (n > 0) _logger.LogDebug("derived {Count} blocks, safe head {Safe}", n, _engine.SafeHead.Number);
                _error = null;
                backoff = _poll;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception e)
            {
                _error = $"derivation: {e.Message}";
                _logger.LogWarning("derivation failed, retrying in {Delay}: {Error}", backoff, e.Message);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                // Start over from the safe head next round (the pipeline may hold half-read L1 data).
                _deriver.Reset();
            }
            try { await Task.Delay(backoff, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop != null)
            try { await _loop; }
            catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
