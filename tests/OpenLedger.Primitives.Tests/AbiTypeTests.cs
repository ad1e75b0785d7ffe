using OpenLedger.Primitives.Abi;

namespace OpenLedger.Primitives.Tests;

public class AbiTypeTests
{
    [Theory]
    [InlineData("uint256", "uint256", false, 32)]
    [InlineData("uint", "uint256", false, 32)]
    [InlineData("int", "int256", false, 32)]
    [InlineData("uint8", "uint8", false, 32)]
    [InlineData("int24", "int24", false, 32)]
    [InlineData("bytes1", "bytes1", false, 32)]
    [InlineData("bytes32", "bytes32", false, 32)]
    [InlineData("address[3]", "address[3]", false, 96)]
    [InlineData("bytes", "bytes", true, 32)]
    [InlineData("string[2]", "string[2]", true, 32)]
    [InlineData("uint256[][3]", "uint256[][3]", true, 32)]
    [InlineData("(uint64,int32,string)", "(uint64,int32,string)", true, 32)]
    [InlineData("(uint64,(bool,address)[2])[3]", "(uint64,(bool,address)[2])[3]", false, 15 * 32)]
    [InlineData("()", "()", false, 0)]
    public void Parses_canonical_names_dynamism_and_head_size(string text, string canonical, bool dynamic, int head)
    {
        var t = AbiType.Parse(text);
        Assert.Equal(canonical, t.CanonicalName);
        Assert.Equal(dynamic, t.IsDynamic);
        Assert.Equal(head, t.HeadSize);
    }

    [Fact]
    public void Function_type_encodes_as_bytes24_but_keeps_its_name_in_signatures()
    {
        var t = AbiType.Parse("function");
        Assert.Equal("function", t.CanonicalName);
        Assert.Equal(AbiKind.FixedBytes, t.Kind);
        Assert.Equal(24, t.Size);
        Assert.Equal("f(function,bytes24)", AbiFunction.FromSignature("f(function, bytes24)").Signature);
    }

    [Fact]
    public void Every_integer_width_parses_and_widths_off_the_grid_do_not()
    {
        for (var m = 8; m <= 256; m += 8)
        {
            Assert.Equal(AbiKind.UInt, AbiType.Parse("uint" + m).Kind);
            Assert.Equal(m, AbiType.Parse("int" + m).Size);
        }
        for (var m = 1; m <= 32; m++) Assert.Equal(m, AbiType.Parse("bytes" + m).Size);
        foreach (var bad in new[] { "uint7", "uint0", "uint264", "int9", "uint08", "bytes0", "bytes33", "bytes01" })
            Assert.Throws<AbiException>(() => AbiType.Parse(bad));
    }

    [Theory]
    [InlineData("")]
    [InlineData("foo")]
    [InlineData("uint256[")]
    [InlineData("uint256[0]")]
    [InlineData("uint256[-1]")]
    [InlineData("uint256[01]")]
    [InlineData("uint256[x]")]
    [InlineData("(uint256")]
    [InlineData("(uint256,)")]
    [InlineData("(,uint256)")]
    [InlineData("uint256 ")]
    [InlineData("uint256)")]
    [InlineData("tuple")]
    public void Rejects_malformed_types(string text) => Assert.Throws<AbiException>(() => AbiType.Parse(text));

    [Fact]
    public void Rejects_hostile_nesting_and_sizes_without_overflow()
    {
        Assert.Throws<AbiException>(() => AbiType.Parse(new string('(', 10_000) + "uint8" + new string(')', 10_000)));
        Assert.Throws<AbiException>(() => AbiType.Parse("uint8" + string.Concat(Enumerable.Repeat("[]", 10_000))));
        Assert.Throws<AbiException>(() => AbiType.Parse("uint256[999999999][999999999]"));
        Assert.Throws<AbiException>(() => AbiType.Parse("uint256[9999999999]"));
    }
}
