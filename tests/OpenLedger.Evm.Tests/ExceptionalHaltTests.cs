using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Tests;

/// <summary>Every exceptional halt ends the frame and consumes all its gas; none escapes as a .NET exception.</summary>
public class ExceptionalHaltTests
{
    private static void AssertHalt(string code, EvmStatus expected)
    {
        var r = new EvmTestHarness().WithCode(EvmTestHarness.Contract, code).Run(gasLimit: 100_000);
        Assert.True(r.IsValid);
        Assert.Equal(expected, r.Status);
        Assert.Equal(100_000, r.GasUsed);
    }

    [Fact] public void Stack_underflow() => AssertHalt("01", EvmStatus.StackUnderflow);
    [Fact] public void Jump_past_the_code() => AssertHalt("600356", EvmStatus.InvalidJump);
    [Fact] public void Jump_into_push_data() => AssertHalt("600456605b00", EvmStatus.InvalidJump);
    [Fact] public void Designated_invalid_opcode() => AssertHalt("fe", EvmStatus.InvalidOpcode);
    [Fact] public void Undefined_opcode() => AssertHalt("0c", EvmStatus.InvalidOpcode);
    [Fact] public void Returndatacopy_past_the_return_data() => AssertHalt("6001600060003e", EvmStatus.ReturnDataOutOfBounds);
    [Fact] public void Memory_offset_beyond_any_gas() => AssertHalt("60017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff52", EvmStatus.OutOfGas);

    [Fact]
    public void Stack_overflow_at_1025_items()
    {
        AssertHalt(string.Concat(Enumerable.Repeat("5f", 1025)), EvmStatus.StackOverflow);
        var ok = new EvmTestHarness().WithCode(EvmTestHarness.Contract, string.Concat(Enumerable.Repeat("5f", 1024)) + "00").Run();
        Assert.True(ok.Success);
    }

    [Fact]
    public void Jump_to_a_jumpdest_succeeds()
    {
        var r = new EvmTestHarness().WithCode(EvmTestHarness.Contract, "6004565b5b00").Run();
        Assert.True(r.Success);
    }

    [Fact]
    public void Revert_keeps_the_remaining_gas_and_undoes_storage()
    {
        // PUSH1 1 PUSH1 0 SSTORE PUSH1 0 PUSH1 0 REVERT
        var h = new EvmTestHarness().WithCode(EvmTestHarness.Contract, "600160005560006000fd");
        var r = h.Run(gasLimit: 100_000);
        Assert.Equal(EvmStatus.Revert, r.Status);
        Assert.Equal(21000 + 6 + 22100 + 6, r.GasUsed);
        Assert.Equal(UInt256.Zero, h.Storage(EvmTestHarness.Contract, 0));
    }

    // Caller: STATICCALL/CALL the other contract, store success+1 in slot 0.
    private const string CallPrefix = "6000600060006000";
    private const string StoreResult = "600101600055";

    [Fact]
    public void Staticcall_callee_cannot_write_storage()
    {
        var h = new EvmTestHarness()
            .WithCode(EvmTestHarness.Contract, CallPrefix + "61beef61fffffa" + StoreResult)
            .WithCode(EvmTestHarness.Other, "6001600055");
        Assert.True(h.Run().Success);
        Assert.Equal(new UInt256(1), h.Storage(EvmTestHarness.Contract, 0)); // the inner call failed
        Assert.Equal(UInt256.Zero, h.Storage(EvmTestHarness.Other, 0));
    }

    [Fact]
    public void Plain_call_callee_can_write_storage()
    {
        var h = new EvmTestHarness()
            .WithCode(EvmTestHarness.Contract, CallPrefix + "600061beef61fffff1" + StoreResult)
            .WithCode(EvmTestHarness.Other, "6001600055");
        Assert.True(h.Run().Success);
        Assert.Equal(new UInt256(2), h.Storage(EvmTestHarness.Contract, 0));
        Assert.Equal(UInt256.One, h.Storage(EvmTestHarness.Other, 0));
    }

    [Fact]
    public void Callee_gets_at_most_63_64ths_of_the_remaining_gas()
    {
        // Callee stores GAS at its start; the caller asks for far more than it has.
        var h = new EvmTestHarness()
            .WithCode(EvmTestHarness.Contract, CallPrefix + "600061beef63fffffffff1" + "00")
            .WithCode(EvmTestHarness.Other, "5a600055");
        var r = h.Run(gasLimit: 200_000);
        Assert.True(r.Success);
        // caller: 5 pushes (15) + PUSH2/PUSH4 (6), cold CALL 2600; then 63/64 of what is left; callee's GAS costs 2.
        long left = 200_000 - 21000 - 3 * 5 - 3 - 3 - 2600;
        long expected = left - left / 64 - 2;
        Assert.Equal(new UInt256((ulong)expected), h.Storage(EvmTestHarness.Other, 0));
    }

    [Fact]
    public void Initcode_over_the_limit_rejects_the_transaction()
    {
        var h = new EvmTestHarness();
        var r = h.Run(gasLimit: 10_000_000, data: new byte[ForkSpec.Cancun.MaxInitCodeSize + 1], create: true);
        Assert.Equal("TransactionException.INITCODE_SIZE_EXCEEDED", r.Rejection);
        Assert.Equal(0UL, h.World.GetNonce(EvmTestHarness.Sender));
    }

    [Fact]
    public void Intrinsic_gas_above_the_limit_rejects_the_transaction()
    {
        var r = new EvmTestHarness().WithCode(EvmTestHarness.Contract, "00").Run(gasLimit: 20_999);
        Assert.Equal("TransactionException.INTRINSIC_GAS_TOO_LOW", r.Rejection);
    }

    [Fact]
    public void Deployed_code_starting_with_0xEF_is_rejected()
    {
        // init code: PUSH1 0xEF PUSH1 0 MSTORE8 PUSH1 1 PUSH1 0 RETURN
        var h = new EvmTestHarness();
        var r = h.Run(data: Hex.Decode("60ef60005360016000f3"), create: true);
        Assert.Equal(EvmStatus.InvalidCodePrefix, r.Status);
        Assert.Null(r.ContractAddress);
    }
}
