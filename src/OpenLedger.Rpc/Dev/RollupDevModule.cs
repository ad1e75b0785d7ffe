using System.Text.Json;
using OpenLedger.Chain;
using OpenLedger.Chain.Dev;
using OpenLedger.Rpc.Eth;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Dev;

/// <summary>What a rollup devnet's sequencer gives its dev methods.</summary>
/// <param name="Clock">The sequencer's clock (the sequencer seals against it; the planner holds pool transactions for skipped blocks).</param>
/// <param name="BlockTimeSeconds">The L2 block time: every block is its parent + this.</param>
/// <param name="MoveL1Async">Moves the L1's clock forward by the seconds given and mines an L1 block at the new time (anvil's evm_increaseTime + evm_mine).</param>
/// <param name="SequencerHealth">Why blocks are not being sealed, or null (a wait for blocks that stalls says it).</param>
public sealed record RollupDevOptions(RollupTimeTravel Clock, ulong BlockTimeSeconds, Func<long, CancellationToken, Task> MoveL1Async, Func<string?> SequencerHealth);

/// <summary>
/// The dev methods on a rollup devnet, limited to what a replica deriving the chain from L1 reproduces. Time moves
/// (evm_increaseTime, evm_setNextBlockTimestamp, evm_mine, anvil_mine) by moving L1's clock first, then the
/// sequencer's: the sequencer then produces every L2 block of the skipped span (empty but for the L1 attributes and L1
/// deposits), which the batcher posts and derivation reproduces like any other blocks. eth_sendTransaction signs for
/// the dev accounts (an ordinary signed transaction). State edits, snapshots and impersonation change the chain in
/// ways L1 does not carry, so they answer -32601 saying so.
/// </summary>
public sealed class RollupDevModule
{
    /// <summary>The longest jump one call may ask for: every second of it is L2 blocks to produce (a week at 1 s blocks is 604,800 blocks).</summary>
    public const ulong MaxJumpSeconds = 7 * 86_400;

    /// <summary>A wait for blocks gives up when no block was sealed for this long.</summary>
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(30);

    public const string EditsUnavailable =
        "is not available on a rollup devnet: a replica deriving the chain from L1 could not reproduce it (L1 carries transactions, not state edits, "
        + "snapshots or unsigned transactions). Time travel works here (evm_increaseTime, evm_setNextBlockTimestamp, evm_mine, anvil_mine), and so does "
        + "eth_sendTransaction from the dev accounts; for the rest run `openledger devnet --no-rollup`";

    private static readonly string[] Refused =
    [
        "evm_snapshot", "evm_revert", "anvil_setBalance", "anvil_setNonce", "anvil_setCode", "anvil_setStorageAt", "anvil_impersonateAccount", "anvil_stopImpersonatingAccount",
    ];

    private readonly Blockchain _chain;
    private readonly RollupDevOptions _rollup;
    private readonly DevTransactionSender _sender;
    private readonly SemaphoreSlim _moves = new(1, 1);

    public RollupDevModule(Blockchain chain, DevRpcOptions options, RollupDevOptions rollup, EthRpcOptions eth)
    {
        if (rollup.BlockTimeSeconds == 0) throw new ArgumentException("a rollup's block time is at least 1 s", nameof(rollup));
        _chain = chain;
        _rollup = rollup;
        _sender = new DevTransactionSender(chain, eth, options.Accounts);
    }

    public void Register(RpcMethodRegistry r)
    {
        r.Add("evm_increaseTime", async (p, c) =>
        {
            p.ExpectAtMost(1);
            ulong seconds = DevParams.U64(p.Required(0, "seconds"), 0, "seconds");
            CheckJump(seconds, "evm_increaseTime");
            await _moves.WaitAsync(c.Cancellation);
            try
            {
                // L1 first: an L2 block may not run past the sequencer drift of an L1 block that exists.
                if (seconds > 0) await MoveL1Async((long)seconds, c.Cancellation);
                return _rollup.Clock.Advance(seconds);
            }
            finally
            {
                _moves.Release();
            }
        });
        r.Add("evm_setNextBlockTimestamp", async (p, c) =>
        {
            p.ExpectAtMost(1);
            await SetNextTimestampAsync(DevParams.U64(p.Required(0, "timestamp"), 0, "timestamp"), c.Cancellation);
            return null;
        });
        r.Add("evm_mine", async (p, c) =>
        {
            p.ExpectAtMost(1);
            ulong blocks = 1;
            if (p.Has(0))
            {
                var e = p[0];
                if (e.ValueKind == JsonValueKind.Object)
                {
                    if (e.TryGetProperty("blocks", out var b) && b.ValueKind != JsonValueKind.Null) blocks = DevParams.U64(b, 0, "blocks");
                    if (e.TryGetProperty("timestamp", out var ts) && ts.ValueKind != JsonValueKind.Null)
                        await SetNextTimestampAsync(DevParams.U64(ts, 0, "timestamp"), c.Cancellation);
                }
                else
                {
                    await SetNextTimestampAsync(DevParams.U64(e, 0, "timestamp"), c.Cancellation);
                }
            }
            await MineAsync(blocks, c.Cancellation);
            return "0x0";
        });
        r.Add("anvil_mine", async (p, c) =>
        {
            p.ExpectAtMost(2);
            ulong blocks = p.Has(0) ? DevParams.U64(p[0], 0, "blocks") : 1;
            ulong bt = _rollup.BlockTimeSeconds;
            if (p.Has(1))
            {
                // L2 blocks are exactly one block time apart: a longer interval is served by the blocks in between.
                ulong interval = DevParams.U64(p[1], 1, "interval");
                if (interval == 0 || interval % bt != 0)
                    throw RpcException.InvalidParams($"invalid argument 1 (interval): L2 blocks on this rollup are {bt} s apart, so the interval must be a positive multiple of {bt}");
                if (blocks > 1) blocks = checked((blocks - 1) * (interval / bt) + 1);
            }
            await MineAsync(blocks, c.Cancellation);
            return null;
        });
        r.Add("eth_accounts", p =>
        {
            p.ExpectAtMost(0);
            return _sender.Accounts.Select(RpcFormat.A).ToArray();
        });
        r.Add("eth_sendTransaction", p =>
        {
            p.ExpectAtMost(1);
            return _sender.Send(CallArgs.Parse(p.Required(0, "transaction"), 0), p[0], _ => false);
        });
        foreach (var name in Refused)
            r.Add(name, (_, _) => throw new RpcException(RpcErrorCodes.MethodNotFound, $"{name} {EditsUnavailable}"));
    }

    private void CheckJump(ulong seconds, string method)
    {
        if (seconds > MaxJumpSeconds)
            throw RpcException.InvalidParams($"{method}: {seconds} s is more than {MaxJumpSeconds} s in one call on a rollup devnet (every {_rollup.BlockTimeSeconds} s of it is an L2 block the sequencer produces and a replica derives); move in steps, or run `openledger devnet --no-rollup`");
    }

    /// <summary>The next block gets exactly <paramref name="timestamp"/>: the blocks before it are produced now, holding the pool.</summary>
    private async Task SetNextTimestampAsync(ulong timestamp, CancellationToken ct)
    {
        var head = _chain.Head;
        DevParams.CheckAfterHead(timestamp, head.Timestamp);
        ulong bt = _rollup.BlockTimeSeconds;
        if ((timestamp - head.Timestamp) % bt != 0)
            throw RpcException.InvalidParams($"Timestamp error: L2 blocks on this rollup are {bt} s apart, so a block's timestamp is the head's ({head.Timestamp}) plus a multiple of {bt}; {timestamp} is not");
        ulong now = _rollup.Clock.Now();
        if (timestamp > now) CheckJump(timestamp - now, "evm_setNextBlockTimestamp");
        await JumpAsync(timestamp, ct, timestamp > now ? timestamp - now : 0);
    }

    /// <summary>Moves L1 forward by <paramref name="l1Seconds"/>, then the sequencer's clock to <paramref name="target"/>; blocks before it take no pool transactions.</summary>
    private async Task JumpAsync(ulong target, CancellationToken ct, ulong l1Seconds)
    {
        await _moves.WaitAsync(ct);
        try
        {
            // L1 first: an L2 block may not run past the sequencer drift of an L1 block that exists.
            if (l1Seconds > 0) await MoveL1Async((long)l1Seconds, ct);
            _rollup.Clock.MoveTo(target, holdPool: true);
        }
        finally
        {
            _moves.Release();
        }
    }

    /// <summary>
    /// Seals <paramref name="blocks"/> blocks now and returns when the last is sealed: the first is the block a jump aims
    /// at if that is not sealed yet, else the head's successor. Both clocks move as far as the last block needs.
    /// </summary>
    private async Task MineAsync(ulong blocks, CancellationToken ct)
    {
        if (blocks == 0) return;
        ulong bt = _rollup.BlockTimeSeconds;
        if (blocks > MaxJumpSeconds / bt) CheckJump(checked(blocks * bt), "anvil_mine");
        var head = _chain.Head;
        ulong first = Math.Max(_rollup.Clock.HoldPoolBefore, head.Timestamp + bt);
        first = head.Timestamp + (first - head.Timestamp + bt - 1) / bt * bt; // L2 timestamps are head + a multiple of the block time
        ulong last = checked(first + (blocks - 1) * bt);
        ulong goal = head.Number + (last - head.Timestamp) / bt;
        await _moves.WaitAsync(ct);
        try
        {
            ulong now = _rollup.Clock.Now();
            if (last > now)
            {
                await MoveL1Async((long)(last - now), ct);
                _rollup.Clock.MoveTo(last, holdPool: false);
            }
        }
        finally
        {
            _moves.Release();
        }
        await WaitForBlockAsync(goal, ct);
    }

    private async Task MoveL1Async(long seconds, CancellationToken ct)
    {
        try
        {
            await _rollup.MoveL1Async(seconds, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new RpcException(RpcErrorCodes.ServerError, $"could not move L1's clock by {seconds} s (the L2 clock is unchanged): {e.Message}");
        }
    }

    /// <summary>Waits until the head is at least block <paramref name="goal"/>; fails when sealing stalls.</summary>
    private async Task WaitForBlockAsync(ulong goal, CancellationToken ct)
    {
        ulong last = _chain.Head.Number;
        var lastProgress = DateTime.UtcNow;
        while (_chain.Head.Number < goal)
        {
            await Task.Delay(20, ct);
            ulong n = _chain.Head.Number;
            if (n != last)
            {
                last = n;
                lastProgress = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - lastProgress > StallLimit)
            {
                var why = _rollup.SequencerHealth() ?? "the sequencer sealed nothing";
                throw new RpcException(RpcErrorCodes.ServerError, $"waited {StallLimit.TotalSeconds:0} s for block {goal} (head {n}): {why}");
            }
        }
    }
}
