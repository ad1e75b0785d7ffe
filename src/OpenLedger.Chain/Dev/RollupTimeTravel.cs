namespace OpenLedger.Chain.Dev;

/// <summary>
/// The clock of a rollup devnet's sequencer, which evm_increaseTime and evm_setNextBlockTimestamp move forward.
/// A rollup cannot skip time: every L2 block's timestamp is its parent's plus the block time (derivation rejects
/// anything else, and the L1 output oracle computes an L2 block's time from its number), so moving the clock makes the
/// sequencer produce every block of the skipped span, as fast as it can. Blocks before the time a jump aimed at hold no
/// pool transactions (only the L1 attributes and L1 deposits), so a transaction sent after the jump lands at the new
/// time, as on anvil. L1 must be moved by the same amount first (see RollupDevModule): an L2 block may not run more than
/// the sequencer drift ahead of an L1 origin that exists.
/// </summary>
public sealed class RollupTimeTravel
{
    private readonly Lock _lock = new();
    private readonly Func<ulong> _wall;
    private long _offsetSeconds;
    private ulong _holdPoolBefore;

    /// <param name="resumeAt">The head's timestamp: a restarted devnet whose head is ahead of wall time (an earlier jump) continues from it instead of stalling until wall time catches up.</param>
    /// <param name="wallClock">Unix seconds; the system clock when null (tests pass their own).</param>
    public RollupTimeTravel(ulong resumeAt = 0, Func<ulong>? wallClock = null)
    {
        _wall = wallClock ?? (() => (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        ulong wall = _wall();
        if (resumeAt > wall) _offsetSeconds = (long)(resumeAt - wall);
    }

    /// <summary>Unix seconds the sequencer seals against: wall time plus the offset.</summary>
    public ulong Now()
    {
        lock (_lock) return Shift(_wall(), _offsetSeconds);
    }

    /// <summary>Seconds the clock runs ahead of wall time (what evm_increaseTime returns).</summary>
    public long OffsetSeconds
    {
        get { lock (_lock) return _offsetSeconds; }
    }

    /// <summary>The first L2 timestamp that takes pool transactions again (0: none held).</summary>
    public ulong HoldPoolBefore
    {
        get { lock (_lock) return _holdPoolBefore; }
    }

    /// <summary>Moves the clock <paramref name="seconds"/> forward; blocks before the new time take no pool transactions. Returns the total offset (evm_increaseTime's answer).</summary>
    public long Advance(ulong seconds)
    {
        lock (_lock)
        {
            _offsetSeconds = checked(_offsetSeconds + (long)seconds);
            ulong now = Shift(_wall(), _offsetSeconds);
            if (now > _holdPoolBefore) _holdPoolBefore = now;
            return _offsetSeconds;
        }
    }

    /// <summary>
    /// Moves the clock so that it reads <paramref name="target"/> now (forward or back); with <paramref name="holdPool"/>
    /// blocks before <paramref name="target"/> take no pool transactions and the block at it does (evm_setNextBlockTimestamp).
    /// Returns the seconds the clock moved.
    /// </summary>
    public long MoveTo(ulong target, bool holdPool)
    {
        lock (_lock)
        {
            long delta = (long)target - (long)Shift(_wall(), _offsetSeconds);
            _offsetSeconds = checked(_offsetSeconds + delta);
            if (holdPool) _holdPoolBefore = target; // the block at target is the next to take transactions, even if an earlier jump aimed further
            return delta;
        }
    }

    /// <summary>Whether the block at <paramref name="l2Timestamp"/> is one a jump skipped over (pool transactions wait for the target time).</summary>
    public bool HoldsPool(ulong l2Timestamp)
    {
        lock (_lock) return l2Timestamp < _holdPoolBefore;
    }

    private static ulong Shift(ulong wall, long offset)
    {
        long t = (long)wall + offset;
        return t < 0 ? 0 : (ulong)t;
    }
}
