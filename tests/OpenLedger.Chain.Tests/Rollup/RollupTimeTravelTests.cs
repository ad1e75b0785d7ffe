using OpenLedger.Chain.Dev;
using OpenLedger.Chain.Rollup;
using OpenLedger.Primitives;

namespace OpenLedger.Chain.Tests.Rollup;

/// <summary>The rollup devnet's clock and the L1 reads it shares while catching up (the end-to-end run is in the Node tests).</summary>
public sealed class RollupTimeTravelTests
{
    private ulong _wall = 1_000_000;

    [Fact]
    public void Advance_moves_the_clock_sums_offsets_as_anvil_and_holds_the_pool_for_the_skipped_span()
    {
        var clock = new RollupTimeTravel(wallClock: () => _wall);
        Assert.Equal(_wall, clock.Now());
        Assert.False(clock.HoldsPool(_wall));
        Assert.Equal(3600, clock.Advance(3600));
        _wall += 5; // wall time goes on: the answer is still the sum asked for
        Assert.Equal(3610, clock.Advance(10));
        Assert.Equal(_wall + 3610, clock.Now());
        Assert.True(clock.HoldsPool(_wall + 3609));
        Assert.False(clock.HoldsPool(_wall + 3610));
    }

    [Fact]
    public void MoveTo_sets_the_time_forward_or_back_and_only_holds_the_pool_when_asked()
    {
        var clock = new RollupTimeTravel(wallClock: () => _wall);
        Assert.Equal(500, clock.MoveTo(_wall + 500, holdPool: false));
        Assert.False(clock.HoldsPool(_wall + 100));
        Assert.Equal(-200, clock.MoveTo(_wall + 300, holdPool: true));
        Assert.Equal(_wall + 300, clock.Now());
        Assert.True(clock.HoldsPool(_wall + 299));
        Assert.Equal(300, clock.OffsetSeconds);
    }

    [Fact]
    public void A_restart_resumes_at_a_head_ahead_of_wall_time()
    {
        Assert.Equal(_wall + 86_400, new RollupTimeTravel(resumeAt: _wall + 86_400, wallClock: () => _wall).Now());
        Assert.Equal(_wall, new RollupTimeTravel(resumeAt: _wall - 10, wallClock: () => _wall).Now());
    }

    private sealed class CountingL1 : IL1BlockSource
    {
        public int Reads;
        public ulong Head = 5;

        public Task<L1BlockRef> GetHeadAsync(CancellationToken ct)
        {
            Reads++;
            return Task.FromResult(Block(Head));
        }

        public Task<L1BlockRef?> GetBlockAsync(ulong number, CancellationToken ct)
        {
            Reads++;
            return Task.FromResult(number <= Head ? Block(number) : null);
        }

        public static L1BlockRef Block(ulong n) =>
            new(n, Keccak256.Compute([(byte)n]), Keccak256.Compute([(byte)(n - 1)]), 1000 + 12 * n, UInt256.One, UInt256.One, default, null);
    }

    [Fact]
    public async Task The_cache_shares_reads_within_its_age_never_caches_a_missing_block_and_reads_afresh_after()
    {
        var l1 = new CountingL1();
        var cache = new CatchUpL1Cache(l1, TimeSpan.FromMilliseconds(300));
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(5UL, (await cache.GetHeadAsync(default)).Number);
            Assert.Equal(CountingL1.Block(4), await cache.GetBlockAsync(4, default));
            Assert.Null(await cache.GetBlockAsync(6, default));
        }
        Assert.Equal(2 + 50, l1.Reads); // head and block 4 once; the missing block 6 every time
        l1.Head = 6;
        Assert.NotNull(await cache.GetBlockAsync(6, default)); // appears as soon as L1 has it
        await Task.Delay(400);
        int before = l1.Reads;
        Assert.Equal(6UL, (await cache.GetHeadAsync(default)).Number);
        Assert.Equal(before + 1, l1.Reads);
    }
}
