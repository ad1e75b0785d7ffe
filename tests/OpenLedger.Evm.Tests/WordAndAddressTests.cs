using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Tests;

public class WordAndAddressTests
{
    private static UInt256 W(string hex) => Word.FromBigEndian(Hex.Decode(hex));

    [Fact]
    public void Create_addresses_match_known_vectors()
    {
        var sender = Address.Parse("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
        Assert.Equal(Address.Parse("0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d"), ContractAddress.Create(sender, 0));
        Assert.Equal(Address.Parse("0x343c43a37d37dff08ae8c4a11544c718abb4fcf8"), ContractAddress.Create(sender, 1));
    }

    [Fact]
    public void Create2_address_matches_the_EIP_1014_example()
    {
        // EIP-1014 example 0: deployer 0x00..00, salt 0, init code 0x00
        Assert.Equal(Address.Parse("0x4d1a2e2bb4f88f0250f26ffff098b0b30b26bf38"), ContractAddress.Create2(Address.Zero, UInt256.Zero, [0x00]));
    }

    [Fact]
    public void Shifts_match_the_EIP_145_examples()
    {
        var one = UInt256.One;
        Assert.Equal(W("8000000000000000000000000000000000000000000000000000000000000000"), Word.ShiftLeft(one, 255));
        Assert.Equal(UInt256.Zero, Word.ShiftLeft(one, 256));
        var high = W("8000000000000000000000000000000000000000000000000000000000000000");
        Assert.Equal(one, Word.ShiftRight(high, 255));
        Assert.Equal(UInt256.MaxValue, Word.ShiftRightArithmetic(high, 255));
        Assert.Equal(UInt256.MaxValue, Word.ShiftRightArithmetic(high, 300));
        Assert.Equal(W("4000000000000000000000000000000000000000000000000000000000000000"), Word.ShiftRight(high, 1));
        Assert.Equal(W("0000000000000000000000000000000000000000000000000000000000000002"), Word.ShiftLeft(one, 1));
        Assert.Equal(new UInt256(0, 1, 0, 0), Word.ShiftLeft(one, 64));
        Assert.Equal(new UInt256(0, 0, 0, 1UL << 63), Word.ShiftLeft(new UInt256(0, 0, 1UL << 63, 0), 64));
        Assert.Equal(new UInt256(1UL << 63, 1, 0, 0), Word.ShiftRight(new UInt256(0, 3, 0, 0), 1));
    }

    [Fact]
    public void Signextend_and_byte()
    {
        Assert.Equal(UInt256.MaxValue, Word.SignExtend(UInt256.Zero, new UInt256(0xff)));
        Assert.Equal(new UInt256(0x7f), Word.SignExtend(UInt256.Zero, new UInt256(0x7f)));
        Assert.Equal(W("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8000"), Word.SignExtend(UInt256.One, new UInt256(0x8000)));
        Assert.Equal(new UInt256(0x12), Word.Byte(UInt256.Zero, W("1200000000000000000000000000000000000000000000000000000000000034")));
        Assert.Equal(new UInt256(0x34), Word.Byte(new UInt256(31), W("1200000000000000000000000000000000000000000000000000000000000034")));
        Assert.Equal(UInt256.Zero, Word.Byte(new UInt256(32), UInt256.MaxValue));
    }

    [Fact]
    public void Jumpdest_analysis_skips_push_data()
    {
        var bits = JumpDestAnalysis.Analyse(Hex.Decode("5b605b5b"));
        Assert.True(JumpDestAnalysis.IsValid(bits, UInt256.Zero, 4));
        Assert.False(JumpDestAnalysis.IsValid(bits, new UInt256(2), 4));
        Assert.True(JumpDestAnalysis.IsValid(bits, new UInt256(3), 4));
        Assert.False(JumpDestAnalysis.IsValid(bits, new UInt256(4), 4));
    }
}
