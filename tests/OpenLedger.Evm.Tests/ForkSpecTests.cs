using OpenLedger.Evm.Execution;
using OpenLedger.Evm.Instructions;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Forks;

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

    [Fact]
    public void Osaka_adds_CLZ_and_Prague_does_not()
    {
        Assert.True(InstructionTable.For(ForkSpec.Osaka).IsDefined((byte)Opcode.CLZ));
        Assert.Equal("CLZ", InstructionTable.For(ForkSpec.Osaka).Name(0x1e));
        Assert.False(InstructionTable.For(ForkSpec.Prague).IsDefined((byte)Opcode.CLZ));
    }

    [Theory]
    [InlineData("0x00", 256)]
    [InlineData("0x01", 255)]
    [InlineData("0x8000000000000000000000000000000000000000000000000000000000000000", 0)]
    [InlineData("0x0000000000000000000000000000000100000000000000000000000000000000", 127)]
    [InlineData("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", 0)]
    public void Clz_counts_leading_zero_bits(string value, int expected)
    {
        // PUSH32 value CLZ PUSH0 SSTORE
        var code = new Asm().Push(UInt256.Parse(value)).Op((byte)Opcode.CLZ).Push(0).Op(0x55);
        var h = new EvmTestHarness { Spec = ForkSpec.Osaka }.WithCode(EvmTestHarness.Contract, code.Hex);
        var r = h.Run();
        Assert.True(r.Success, r.Status.ToString());
        Assert.Equal(new UInt256((ulong)expected), h.Storage(EvmTestHarness.Contract, 0));
    }

    [Fact]
    public void Fork_names_resolve_and_order()
    {
        Assert.Same(ForkSpec.TangerineWhistle, ForkSpec.ByName("EIP150"));
        Assert.Same(ForkSpec.TangerineWhistle, ForkSpec.ByName("TangerineWhistle"));
        Assert.Same(ForkSpec.Osaka, ForkSpec.ByName("osaka"));
        Assert.Null(ForkSpec.ByName("Amsterdam"));
        Assert.True(ForkSpec.Osaka.Fork > ForkSpec.Prague.Fork);
        Assert.Equal(1UL << 24, ForkSpec.Osaka.MaxTxGas);
        Assert.Null(ForkSpec.Prague.MaxTxGas);
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
