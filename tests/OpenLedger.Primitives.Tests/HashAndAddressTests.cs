using OpenLedger.Primitives;

namespace OpenLedger.Primitives.Tests;

public class Hash256Tests
{
    private const string Sample = "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45";

    [Fact]
    public void Parses_formats_and_round_trips()
    {
        var h = Hash256.Parse(Sample);
        Assert.Equal(Sample, h.ToString());
        Assert.Equal(Hex.Decode(Sample), h.ToArray());
        Assert.Equal(Hex.Decode(Sample), h.Bytes.ToArray());
        Assert.Equal(h, new Hash256(h.Bytes));
        Assert.Equal(h, Hash256.Parse(Sample[2..].ToUpperInvariant()));
        var buf = new byte[40];
        h.WriteTo(buf.AsSpan(8));
        Assert.Equal(h.ToArray(), buf[8..]);
    }

    [Fact]
    public void Equality_and_order()
    {
        var a = Hash256.Parse(Sample);
        var b = Keccak256.Compute("abc"u8);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Keccak256.EmptyHash);
        Assert.True(Hash256.Zero.IsZero);
        Assert.Equal(default, Hash256.Zero);
        var low = new Hash256(Hex.Decode("0x00" + new string('f', 62)));
        var high = new Hash256(Hex.Decode("0x01" + new string('0', 62)));
        Assert.True(low.CompareTo(high) < 0);
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c4")]
    [InlineData("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c4g")]
    public void Rejects_bad_text(string text)
    {
        Assert.Throws<FormatException>(() => Hash256.Parse(text));
        Assert.False(Hash256.TryParse(text, out _));
    }

    [Fact]
    public void Rejects_wrong_length_bytes()
    {
        Assert.Throws<ArgumentException>(() => new Hash256(new byte[31]));
        Assert.Throws<ArgumentException>(() => Hash256.Zero.WriteTo(new byte[31]));
    }
}

public class AddressTests
{
    // EIP-55's own examples.
    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    [InlineData("0x52908400098527886E0F7030069857D2E4169EE7")]
    [InlineData("0x8617E340B3D01FA5F11F306F4090FD50E238070D")]
    [InlineData("0xde709f2102306220921060314715629080e2fb77")]
    [InlineData("0x27b1fdb04752bbc536007a920d24acb045561c26")]
    public void Eip55_examples_round_trip(string checksummed)
    {
        var a = Address.Parse(checksummed);
        Assert.Equal(checksummed, a.ToString());
        Assert.Equal(a, Address.Parse(checksummed.ToLowerInvariant()));
        Assert.Equal(a, Address.Parse("0x" + checksummed[2..].ToUpperInvariant()));
        Assert.Equal(checksummed.ToLowerInvariant(), a.ToLowerHex());
    }

    [Fact]
    public void Rejects_mixed_case_with_a_wrong_checksum()
    {
        // Flip the case of one letter in a valid checksummed address.
        var ex = Assert.Throws<FormatException>(() => Address.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
        Assert.Contains("checksum", ex.Message);
        Assert.False(Address.TryParse("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", out _));
    }

    [Theory]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaedd0")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaez")]
    [InlineData("")]
    public void Rejects_bad_text(string text)
    {
        Assert.Throws<FormatException>(() => Address.Parse(text));
        Assert.False(Address.TryParse(text, out _));
    }

    [Fact]
    public void Bytes_and_words()
    {
        var bytes = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        var a = new Address(bytes);
        Assert.Equal(bytes, a.ToArray());
        Assert.Equal(bytes, a.Bytes.ToArray());
        var word = new byte[32];
        bytes.CopyTo(word, 12);
        Assert.Equal(a, Address.FromWord(word));
        var buf = new byte[20];
        a.WriteTo(buf);
        Assert.Equal(bytes, buf);
        Assert.True(Address.Zero.IsZero);
        Assert.False(a.IsZero);
        Assert.Throws<ArgumentException>(() => new Address(new byte[19]));
        Assert.NotEqual(a, Address.Zero);
        Assert.Equal(a.GetHashCode(), new Address(bytes).GetHashCode());
    }
}
