using OpenLedger.Primitives;

namespace OpenLedger.Primitives.Tests;

public class HexTests
{
    [Fact]
    public void Encodes_lowercase_with_and_without_prefix()
    {
        Assert.Equal("0x00ff10ab", Hex.Encode([0x00, 0xFF, 0x10, 0xAB]));
        Assert.Equal("00ff10ab", Hex.Encode([0x00, 0xFF, 0x10, 0xAB], prefix: false));
        Assert.Equal("0x", Hex.Encode([]));
        Assert.Equal("", Hex.Encode([], prefix: false));
    }

    [Theory]
    [InlineData("0x00ff10AB")]
    [InlineData("0X00ff10ab")]
    [InlineData("00FF10ab")]
    public void Decodes_with_optional_prefix_and_either_case(string text)
    {
        Assert.Equal(new byte[] { 0x00, 0xFF, 0x10, 0xAB }, Hex.Decode(text));
        Assert.True(Hex.TryDecode(text, out var bytes));
        Assert.Equal(new byte[] { 0x00, 0xFF, 0x10, 0xAB }, bytes);
    }

    [Fact]
    public void Decodes_empty()
    {
        Assert.Empty(Hex.Decode("0x"));
        Assert.Empty(Hex.Decode(""));
    }

    [Theory]
    [InlineData("0x123", "odd")]
    [InlineData("abc", "odd")]
    [InlineData("0xzz", "invalid hex character 'z'")]
    [InlineData("0x0g", "invalid hex character 'g' at digit 1")]
    [InlineData("0x 1", "invalid hex character ' '")]
    [InlineData("0x0x00", "invalid hex character 'x'")]
    public void Rejects_malformed_input_naming_the_problem(string text, string fragment)
    {
        var ex = Assert.Throws<FormatException>(() => Hex.Decode(text));
        Assert.Contains(fragment, ex.Message);
        Assert.False(Hex.TryDecode(text, out _));
    }

    [Fact]
    public void TryDecode_into_span_checks_capacity()
    {
        Span<byte> small = stackalloc byte[1];
        Assert.False(Hex.TryDecode("0x0102", small, out _));
        Span<byte> big = stackalloc byte[4];
        Assert.True(Hex.TryDecode("0x0102", big, out int written));
        Assert.Equal(2, written);
        Assert.False(Hex.TryDecode((string?)null, out _));
    }

    [Fact]
    public void Round_trips_random_bytes()
    {
        var rnd = new Random(3);
        for (int len = 0; len < 100; len++)
        {
            var data = new byte[len];
            rnd.NextBytes(data);
            Assert.Equal(data, Hex.Decode(Hex.Encode(data)));
            Assert.Equal(Convert.ToHexStringLower(data), Hex.Encode(data, false));
        }
    }
}
