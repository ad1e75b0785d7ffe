using OpenLedger.Evm.Tracing;
using OpenLedger.Primitives;
using OpenLedger.Tools.Benchmarks;

namespace OpenLedger.Evm.Tests.Benchmarks;

/// <summary>
/// The `bench evm` workloads compute what they claim, and the interpreter's fast loop (opcodes inline) agrees with the
/// traced loop (every opcode through its handler) on each of them: same status, gas and output. No timings.
/// </summary>
public class EvmWorkloadTests
{
    private static readonly IReadOnlyList<EvmWorkload> Small = EvmWorkloads.All(0.01);

    private static EvmWorkload Get(string name) => Small.Single(w => w.Name == name);

    private static UInt256 Word(byte[] output)
    {
        Assert.Equal(32, output.Length);
        return UInt256.FromBigEndian(output);
    }

    /// <summary>Counts steps; its presence makes the executor take the handler-only loop.</summary>
    private sealed class CountingTracer : IEvmTracer
    {
        public long Steps;
        public void OnStep(in StepInfo step) => Steps++;
        public void OnStepCost(long gasCost, string? error) { }
        public void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error) { }
    }

    [Fact]
    public void Every_workload_succeeds_and_both_interpreter_loops_agree()
    {
        Assert.Equal(9, Small.Count);
        Assert.Equal(Small.Count, Small.Select(w => w.Name).Distinct().Count());
        foreach (var w in Small)
        {
            var fast = EvmBenchmark.Execute(w);
            var tracer = new CountingTracer();
            var traced = EvmBenchmark.Execute(w, tracer);
            Assert.True(fast.Success, $"{w.Name}: {fast.Status}");
            Assert.True(tracer.Steps > 100, w.Name);
            Assert.Equal(traced.Status, fast.Status);
            Assert.Equal(traced.GasUsed, fast.GasUsed);
            Assert.Equal(traced.Output, fast.Output);
            Assert.Equal(traced.Logs.Count, fast.Logs.Count);
        }
    }

    [Fact]
    public void Solidity_token_loops_leave_the_expected_balances()
    {
        // benchMint(n) mints 1..n: total supply n(n+1)/2; the transfer loops move everything the caller was minted.
        ulong n = 30; // EvmWorkloads.All(0.01): 3,000 * 0.01
        Assert.Equal(new UInt256(n * (n + 1) / 2), Word(EvmBenchmark.Execute(Get("sol-erc20-mint")).Output));
        var transfer = EvmBenchmark.Execute(Get("sol-erc20-transfer"));
        Assert.Equal(UInt256.Zero, Word(transfer.Output));
        Assert.Equal((int)n + 1, transfer.Logs.Count); // the mint and n transfers
        var approve = EvmBenchmark.Execute(Get("sol-erc20-approve"));
        Assert.Equal(UInt256.Zero, Word(approve.Output));
        Assert.Equal(1 + 2 * 15, approve.Logs.Count); // 1,500 * 0.01 approve + transferFrom pairs
    }

    [Fact]
    public void Solidity_hash_loop_matches_the_chain_computed_here()
    {
        // run(2): h = keccak256(h . i) for i = 0..1999, h starting at zero.
        var h = new byte[32];
        var buf = new byte[64];
        for (ulong i = 0; i < 2000; i++)
        {
            h.CopyTo(buf, 0);
            new UInt256(i).WriteBigEndian(buf.AsSpan(32));
            Keccak256.Hash(buf, h);
        }
        Assert.Equal(h, EvmBenchmark.Execute(Get("sol-hashes")).Output);
    }
}
