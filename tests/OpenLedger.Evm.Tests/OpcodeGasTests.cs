using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Tests;

/// <summary>Exact gas of small programs: 21000 intrinsic plus the opcodes' static and dynamic costs.</summary>
public class OpcodeGasTests
{
    private static long Used(string code, params (ulong, ulong)[] storage) =>
        new EvmTestHarness().WithCode(EvmTestHarness.Contract, code, storage).Run().GasUsed;

    [Fact]
    public void Add_then_sstore_to_a_cold_empty_slot_costs_22100()
    {
        // PUSH1 1 PUSH1 1 ADD PUSH1 0 SSTORE STOP: 4 x 3 + (2100 cold + 20000 set)
        var h = new EvmTestHarness().WithCode(EvmTestHarness.Contract, "600160010160005500");
        var r = h.Run();
        Assert.True(r.Success);
        Assert.Equal(21000 + 12 + 22100, r.GasUsed);
        Assert.Equal(new UInt256(2), h.Storage(EvmTestHarness.Contract, 0));
    }

    [Fact]
    public void Sload_is_cold_once_then_warm() =>
        // PUSH1 0 SLOAD PUSH1 0 SLOAD
        Assert.Equal(21000 + 3 + 2100 + 3 + 100, Used("600054600054"));

    [Fact]
    public void Memory_expansion_is_quadratic()
    {
        // PUSH1 1 PUSH2 0x0400 MSTORE: 33 words = 3*33 + 33*33/512 = 101
        Assert.Equal(21000 + 3 + 3 + 3 + 101, Used("600161040052"));
    }

    [Fact]
    public void Exp_charges_50_per_exponent_byte() =>
        // PUSH2 0x0100 PUSH1 2 EXP: exponent is 2 bytes
        Assert.Equal(21000 + 3 + 3 + 10 + 100, Used("61010060020a"));

    [Fact]
    public void Refund_is_capped_at_a_fifth_of_gas_used()
    {
        // clear two set slots: 2 x (3 + 3 + 2100 + 2900) = 10012, refund 9600 capped at 31012 / 5
        long used = Used("6000600055600060015500", (0, 1), (1, 1));
        Assert.Equal(31012 - 31012 / 5, used);
    }

    [Fact]
    public void Resetting_a_slot_to_its_original_value_refunds_the_set_cost()
    {
        // PUSH1 1 PUSH1 0 SSTORE PUSH1 0 PUSH1 0 SSTORE: 22100 + 100, refund 19900, capped at a fifth
        long used = Used("60016000556000600055");
        long raw = 21000 + 12 + 22100 + 100;
        Assert.Equal(raw - Math.Min(19900, raw / 5), used);
    }

    [Fact]
    public void Sstore_with_only_the_stipend_left_is_out_of_gas()
    {
        // The sentry (EIP-2200) fails SSTORE when gas left <= 2300, even for a no-op write.
        var h = new EvmTestHarness().WithCode(EvmTestHarness.Contract, "6000600055");
        var r = h.Run(gasLimit: 21000 + 6 + 2300);
        Assert.Equal(EvmStatus.OutOfGas, r.Status);
        Assert.Equal(21000 + 6 + 2300, r.GasUsed);
    }

    [Fact]
    public void Balance_of_a_cold_account_costs_2600_then_100() =>
        // PUSH2 beef BALANCE PUSH2 beef BALANCE
        Assert.Equal(21000 + 3 + 2600 + 3 + 100, Used("61beef3161beef31"));

    [Fact]
    public void Transient_storage_round_trips_and_costs_100()
    {
        // PUSH1 7 PUSH1 1 TSTORE PUSH1 1 TLOAD PUSH1 0 SSTORE
        var h = new EvmTestHarness().WithCode(EvmTestHarness.Contract, "600760015d60015c600055");
        var r = h.Run();
        Assert.Equal(21000 + 3 + 3 + 100 + 3 + 100 + 3 + 22100, r.GasUsed);
        Assert.Equal(new UInt256(7), h.Storage(EvmTestHarness.Contract, 0));
    }

    [Fact]
    public void Calldata_costs_4_per_zero_and_16_per_nonzero_byte()
    {
        var r = new EvmTestHarness().WithCode(EvmTestHarness.Contract, "00").Run(data: [0, 0, 1]);
        Assert.Equal(21000 + 4 + 4 + 16, r.GasUsed);
    }
}
