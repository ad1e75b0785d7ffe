using OpenLedger.Chain.Rollup;
using OpenLedger.Primitives;

namespace OpenLedger.Chain.Tests.Rollup;

public class AddressAliasTests
{
    [Theory]
    [InlineData("0x0000000000000000000000000000000000000000", "0x1111000000000000000000000000000000001111")]
    [InlineData("0x1234567890123456789012345678901234567890", "0x23455678901234567890123456789012345689a1")]
    // wraps modulo 2^160, as OP's AddressAliasHelper (unchecked uint160 addition)
    [InlineData("0xffffffffffffffffffffffffffffffffffffffff", "0x1111000000000000000000000000000000001110")]
    [InlineData("0xeeeeffffffffffffffffffffffffffffffffeeef", "0x0000000000000000000000000000000000000000")]
    public void Alias_AddsTheOffsetModulo2Pow160_AndUndoReversesIt(string l1, string l2)
    {
        var aliased = AddressAlias.ApplyL1ToL2(Address.Parse(l1));
        Assert.Equal(Address.Parse(l2), aliased);
        Assert.Equal(Address.Parse(l1), AddressAlias.UndoL1ToL2(aliased));
    }
}
