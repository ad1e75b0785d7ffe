using Microsoft.Extensions.Logging;
using OpenLedger.Rollup.Config;

namespace OpenLedger.Rollup.Derivation;

/// <summary>
/// Runs the pipeline against an engine: derives and executes every block L1 allows, tracks which L1 block each safe
/// block was derived at (for the finalized head), and on an L1 reorg rewinds the safe chain to the newest block whose
/// L1 origin is still canonical and derives again from there.
/// </summary>
public sealed class Deriver(RollupConfig config, IL1Source l1, IExecutionEngine engine, ILogger logger)
{
    private readonly DerivationPipeline _pipeline = new(config, l1, logger);
    private readonly List<(ulong L2, BlockId L1)> _derivedAt = [];
    private bool _started;

    public L2BlockRef SafeHead => engine.SafeHead;

    /// <summary>Raised after each derived block with the L1 block its batch was read at (the node persists it).</summary>
    public event Action<L2BlockRef, BlockId>? BlockDerived;

    /// <summary>After a restart: the safe head was derived at <paramref name="derivedAt"/> (so the finalized head can pass it).</summary>
    public void Resume(L2BlockRef safe, BlockId derivedAt) => _derivedAt.Add((safe.Number, derivedAt));
    public L2BlockRef? FinalizedHead { get; private set; }
    public L1BlockRef? CurrentL1 => _pipeline.Origin;

    /// <summary>
    /// The system config as of a safe block (the engine's <c>SystemConfigAt</c>): when set, each pipeline reset (at start,
    /// after an L1 reorg rewound the safe head) starts from the config of the block it resets to, not the step's argument.
    /// </summary>
    public Func<L2BlockRef, SystemConfig>? SystemConfigAt { get; init; }

    /// <summary>Starts the pipeline over from the safe head at the next step (after an error mid-step).</summary>
    public void Reset() => _started = false;

    /// <summary>Derives until L1 has no more data; returns the number of blocks derived.</summary>
    public async Task<int> StepAsync(SystemConfig systemConfigAtSafe, CancellationToken ct = default)
    {
        int count = 0;
        while (true)
        {
            try
            {
                if (!_started)
                {
                    var safe = engine.SafeHead;
                    await _pipeline.ResetAsync(safe, SystemConfigAt?.Invoke(safe) ?? systemConfigAtSafe, ct).ConfigureAwait(false);
                    _started = true;
                }
                var attrs = await _pipeline.NextAsync(engine.SafeHead, engine, ct).ConfigureAwait(false);
                if (attrs is null) break;
                var block = await engine.ExecuteAsync(engine.SafeHead, attrs, ct).ConfigureAwait(false);
                _derivedAt.Add((block.Number, _pipeline.Origin!.Id));
                BlockDerived?.Invoke(block, _pipeline.Origin!.Id);
                count++;
            }
            catch (L1ReorgException e)
            {
                logger.LogWarning("L1 reorg: {Error}; rewinding the safe chain", e.Message);
                await RewindToCanonicalAsync(ct).ConfigureAwait(false);
                _started = false;
            }
        }
        await UpdateFinalizedAsync(ct).ConfigureAwait(false);
        return count;
    }

    private async Task RewindToCanonicalAsync(CancellationToken ct)
    {
        var head = engine.SafeHead;
        while (head.Number > config.GenesisL2.Number)
        {
            // Keep a block only if its L1 origin and the L1 block its batch was read from are both still canonical.
            int at = _derivedAt.FindIndex(d => d.L2 == head.Number);
            if (await IsCanonicalAsync(head.L1Origin, ct).ConfigureAwait(false)
                && (at < 0 || await IsCanonicalAsync(_derivedAt[at].L1, ct).ConfigureAwait(false))) break;
            head = engine.BlockByNumber(head.Number - 1) ?? throw new InvalidOperationException($"safe chain lacks block {head.Number - 1}");
        }
        if (head.Number == config.GenesisL2.Number && !await IsCanonicalAsync(config.GenesisL1, ct).ConfigureAwait(false))
            throw new InvalidOperationException($"the rollup's L1 genesis block {config.GenesisL1} is not on this L1 chain: wrong --l1-rpc or rollup config");
        _derivedAt.RemoveAll(d => d.L2 > head.Number);
        if (FinalizedHead != null && FinalizedHead.Number > head.Number) FinalizedHead = head;
        await engine.RewindAsync(head, ct).ConfigureAwait(false);
        logger.LogInformation("safe head rewound to {Head}", head);
    }

    private async Task<bool> IsCanonicalAsync(BlockId id, CancellationToken ct)
    {
        var b = await l1.BlockByNumberAsync(id.Number, ct).ConfigureAwait(false);
        return b != null && b.Hash == id.Hash;
    }

    private async Task UpdateFinalizedAsync(CancellationToken ct)
    {
        var fin = await l1.FinalizedAsync(ct).ConfigureAwait(false);
        if (fin is null) return;
        ulong best = 0;
        bool any = false;
        foreach (var (l2, at) in _derivedAt)
            if (at.Number <= fin.Number) { best = l2; any = true; }
        if (any) FinalizedHead = engine.BlockByNumber(best);
        _derivedAt.RemoveAll(d => d.L1.Number <= fin.Number && d.L2 < best);
    }
}
