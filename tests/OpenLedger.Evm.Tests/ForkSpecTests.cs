using OpenLedger.Evm.Execution;
using OpenLedger.Evm.Instructions;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Tests;

public unsafe class ForkSpecTests
{
    [Fact]
    public void Cancun_has_its_new_opcodes_and_Shanghai_does_not()
    {
        var cancun = InstructionTable.For(ForkSpec.Cancun);
        var shanghai = InstructionTable.For(ForkSpec.Shanghai);
        foreach (byte op in new byte[] { 0x49, 0x4a, 0x5c, 0x5d, 0x5e })
        {
            Assert.True(cancun.IsDefined(op), cancun.Name(op));
            Assert.False(shanghai.IsDefined(op), $"0x{op:x2}");
        }
        Assert.True(shanghai.IsDefined(0x5f));
        Assert.Equal("MCOPY", cancun.Name(0x5e));
        Assert.Equal(2100 + 0, ForkSpec.Cancun.Gas.ColdSload);
    }

    [Fact]
    public void Unassigned_opcodes_are_undefined()
    {
        var t = InstructionTable.For(ForkSpec.Cancun);
        foreach (byte op in new byte[] { 0x0c, 0x21, 0x4b, 0xa5, 0xef, 0xf6, 0xfb })
            Assert.False(t.IsDefined(op), $"0x{op:x2}");
    }

    private static EvmStatus PushFortyTwo(EvmFrame f)
    {
        f.Push(new UInt256(42));
        return EvmStatus.Continue;
    }

    [Fact]
    public void A_derived_spec_can_add_an_opcode_without_touching_opcode_code()
    {
        var l2 = ForkSpec.Cancun with { Name = "L2", CustomizeInstructions = t => t.Set(0x0c, "FORTYTWO", &PushFortyTwo, 2, 0, 1) };
        Assert.True(InstructionTable.For(l2).IsDefined(0x0c));
        Assert.False(InstructionTable.For(ForkSpec.Cancun).IsDefined(0x0c));

        // FORTYTWO PUSH1 0 SSTORE
        var h = new EvmTestHarness { Spec = l2 }.WithCode(EvmTestHarness.Contract, "0c600055");
        var r = h.Run();
        Assert.True(r.Success);
        Assert.Equal(21000 + 2 + 3 + 22100, r.GasUsed);
        Assert.Equal(new UInt256(42), h.Storage(EvmTestHarness.Contract, 0));
    }

    [Fact]
    public void Blob_base_fee_follows_the_fake_exponential()
    {
        Assert.Equal(UInt256.One, (EvmTestHarness.Block with { ExcessBlobGas = 0 }).BlobBaseFee(ForkSpec.Cancun));
        // e^(excess / 3338477) crosses 2 near excess = 0.7 * fraction.
        Assert.Equal(new UInt256(2), (EvmTestHarness.Block with { ExcessBlobGas = 2_400_000 }).BlobBaseFee(ForkSpec.Cancun));
        Assert.Equal(UInt256.One, (EvmTestHarness.Block with { ExcessBlobGas = 2_000_000 }).BlobBaseFee(ForkSpec.Cancun));
    }
}
