using System.Numerics;
using System.Text;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Primitives.Tests;

/// <summary>The Solidity ABI specification's examples (checked against `cast calldata`), round-trips and strict decoding.</summary>
public class AbiCodecTests
{
    private static byte[] H(string hex) => Hex.Decode(hex.Replace(" ", "").Replace("\n", ""));
    private static UInt256 U(ulong v) => new(v);

    [Fact]
    public void Spec_baz_uint32_bool()
    {
        var f = AbiFunction.FromSignature("baz(uint32,bool)");
        Assert.Equal("cdcd77c0", Hex.Encode(f.Selector, prefix: false));
        var data = f.EncodeCall(69u, true);
        Assert.Equal("0xcdcd77c0" + "0000000000000000000000000000000000000000000000000000000000000045"
            + "0000000000000000000000000000000000000000000000000000000000000001", Hex.Encode(data));
        var back = f.DecodeCall(data);
        Assert.Equal(U(69), back[0]);
        Assert.Equal(true, back[1]);
    }

    [Fact]
    public void Spec_bar_bytes3_2()
    {
        var f = AbiFunction.FromSignature("bar(bytes3[2])");
        var data = f.EncodeCall((object)new object[] { "abc"u8.ToArray(), "def"u8.ToArray() });
        Assert.Equal("0xfce353f6" + "6162630000000000000000000000000000000000000000000000000000000000"
            + "6465660000000000000000000000000000000000000000000000000000000000", Hex.Encode(data));
    }

    [Fact]
    public void Spec_sam_bytes_bool_uint256_array()
    {
        var f = AbiFunction.FromSignature("sam(bytes,bool,uint256[])");
        var data = f.EncodeCall("dave"u8.ToArray(), true, new[] { U(1), U(2), U(3) });
        var expected = "0xa5643bf2"
            + "0000000000000000000000000000000000000000000000000000000000000060"
            + "0000000000000000000000000000000000000000000000000000000000000001"
            + "00000000000000000000000000000000000000000000000000000000000000a0"
            + "0000000000000000000000000000000000000000000000000000000000000004"
            + "6461766500000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000003"
            + "0000000000000000000000000000000000000000000000000000000000000001"
            + "0000000000000000000000000000000000000000000000000000000000000002"
            + "0000000000000000000000000000000000000000000000000000000000000003";
        Assert.Equal(expected, Hex.Encode(data));
        var back = f.DecodeCall(data);
        Assert.Equal("dave"u8.ToArray(), (byte[])back[0]!);
        Assert.Equal(new object[] { U(1), U(2), U(3) }, (object?[])back[2]!);
    }

    [Fact]
    public void Spec_f_uint256_uint32_array_bytes10_bytes()
    {
        var f = AbiFunction.FromSignature("f(uint256,uint32[],bytes10,bytes)");
        var data = f.EncodeCall(new BigInteger(0x123), new[] { 0x456, 0x789 }, "1234567890"u8.ToArray(), "Hello, world!"u8.ToArray());
        var expected = "0x8be65246"
            + "0000000000000000000000000000000000000000000000000000000000000123"
            + "0000000000000000000000000000000000000000000000000000000000000080"
            + "3132333435363738393000000000000000000000000000000000000000000000"
            + "00000000000000000000000000000000000000000000000000000000000000e0"
            + "0000000000000000000000000000000000000000000000000000000000000002"
            + "0000000000000000000000000000000000000000000000000000000000000456"
            + "0000000000000000000000000000000000000000000000000000000000000789"
            + "000000000000000000000000000000000000000000000000000000000000000d"
            + "48656c6c6f2c20776f726c642100000000000000000000000000000000000000";
        Assert.Equal(expected, Hex.Encode(data));
        var back = f.DecodeCall(data);
        Assert.Equal(U(0x123), back[0]);
        Assert.Equal(new object[] { U(0x456), U(0x789) }, (object?[])back[1]!);
        Assert.Equal("1234567890"u8.ToArray(), (byte[])back[2]!);
        Assert.Equal("Hello, world!", Encoding.UTF8.GetString((byte[])back[3]!));
    }

    [Fact]
    public void Spec_g_nested_dynamic_arrays_and_strings()
    {
        var f = AbiFunction.FromSignature("g(uint256[][],string[])");
        var data = f.EncodeCall(new object[] { new[] { 1, 2 }, new[] { 3 } }, new[] { "one", "two", "three" });
        var expected = "0x2289b18c"
            + "0000000000000000000000000000000000000000000000000000000000000040"
            + "0000000000000000000000000000000000000000000000000000000000000140"
            + "0000000000000000000000000000000000000000000000000000000000000002"
            + "0000000000000000000000000000000000000000000000000000000000000040"
            + "00000000000000000000000000000000000000000000000000000000000000a0"
            + "0000000000000000000000000000000000000000000000000000000000000002"
            + "0000000000000000000000000000000000000000000000000000000000000001"
            + "0000000000000000000000000000000000000000000000000000000000000002"
            + "0000000000000000000000000000000000000000000000000000000000000001"
            + "0000000000000000000000000000000000000000000000000000000000000003"
            + "0000000000000000000000000000000000000000000000000000000000000003"
            + "0000000000000000000000000000000000000000000000000000000000000060"
            + "00000000000000000000000000000000000000000000000000000000000000a0"
            + "00000000000000000000000000000000000000000000000000000000000000e0"
            + "0000000000000000000000000000000000000000000000000000000000000003"
            + "6f6e650000000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000003"
            + "74776f0000000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000005"
            + "7468726565000000000000000000000000000000000000000000000000000000";
        Assert.Equal(expected, Hex.Encode(data));
        var back = f.DecodeCall(data);
        var outer = (object?[])back[0]!;
        Assert.Equal(new object[] { U(1), U(2) }, (object?[])outer[0]!);
        Assert.Equal(new object[] { U(3) }, (object?[])outer[1]!);
        Assert.Equal(new object[] { "one", "two", "three" }, (object?[])back[1]!);
    }

    public static TheoryData<string, object?> RoundTripCases() => new()
    {
        { "uint8", U(255) },
        { "uint256", UInt256.MaxValue },
        { "int8", new BigInteger(-128) },
        { "int8", new BigInteger(127) },
        { "int256", -BigInteger.Pow(2, 255) },
        { "int256", BigInteger.Pow(2, 255) - 1 },
        { "int40", new BigInteger(-1) },
        { "address", Address.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266") },
        { "bool", false },
        { "bytes1", new byte[] { 0xff } },
        { "bytes32", Enumerable.Range(0, 32).Select(i => (byte)i).ToArray() },
        { "bytes", Array.Empty<byte>() },
        { "bytes", Enumerable.Range(0, 65).Select(i => (byte)i).ToArray() },
        { "string", "" },
        { "string", "héllo wörld ✓ — a string longer than thirty-two bytes" },
        { "uint16[]", Array.Empty<object>() },
        { "int64[3]", new object[] { new BigInteger(-1), new BigInteger(0), new BigInteger(long.MaxValue) } },
        { "(uint64,int32,string)", new object[] { U(7), new BigInteger(-9), "p" } },
        { "(bool,(string,bytes)[],address[2])[]", new object[] {
            new object[] { true, new object[] { new object[] { "a", new byte[] { 1 } }, new object[] { "", Array.Empty<byte>() } },
                new object[] { Address.Zero, Address.Parse("0x00000000000000000000000000000000000000ff") } },
            new object[] { false, Array.Empty<object>(), new object[] { Address.Zero, Address.Zero } } } },
        { "string[2][]", new object[] { new object[] { "x", "yy" }, new object[] { "", "zzz" } } },
    };

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void Round_trips(string typeText, object? value)
    {
        var type = AbiType.Parse(typeText);
        var encoded = AbiEncoder.Encode(type, value);
        Assert.Equal(0, encoded.Length % 32);
        var decoded = AbiDecoder.Decode(type, encoded);
        Assert.Equal(Normalize(value), Normalize(decoded));
        // Decoding is canonical: re-encoding the decoded value gives the same bytes.
        Assert.Equal(encoded, AbiEncoder.Encode(type, decoded));
    }

    private static string Normalize(object? v) => AbiFormat.Value(v);

    [Fact]
    public void Every_integer_width_round_trips_its_boundaries_and_rejects_one_past_them()
    {
        var rng = new Random(7);
        for (var m = 8; m <= 256; m += 8)
        {
            var u = AbiType.Parse("uint" + m);
            var i = AbiType.Parse("int" + m);
            var umax = BigInteger.Pow(2, m) - 1;
            var imax = BigInteger.Pow(2, m - 1) - 1;
            var imin = -BigInteger.Pow(2, m - 1);
            var bytes = new byte[m / 8];
            rng.NextBytes(bytes);
            var random = new BigInteger(bytes, isUnsigned: true);
            foreach (var v in new[] { BigInteger.Zero, BigInteger.One, umax, random })
                Assert.Equal(v, ToBig(AbiDecoder.Decode(u, AbiEncoder.Encode(u, v))));
            foreach (var v in new[] { BigInteger.Zero, BigInteger.MinusOne, imax, imin, random - BigInteger.Pow(2, m - 1) })
                Assert.Equal(v, (BigInteger)AbiDecoder.Decode(i, AbiEncoder.Encode(i, v))!);
            Assert.Throws<AbiException>(() => AbiEncoder.Encode(u, umax + 1));
            Assert.Throws<AbiException>(() => AbiEncoder.Encode(i, imax + 1));
            Assert.Throws<AbiException>(() => AbiEncoder.Encode(i, imin - 1));
        }
    }

    private static BigInteger ToBig(object? v) => BigInteger.Parse(AbiFormat.Value(v));

    [Fact]
    public void Encoder_range_checks_integers_and_sizes()
    {
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse("uint8"), 256));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse("uint8"), -1));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse("int8"), 128));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse("int8"), -129));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse("uint256"), BigInteger.Pow(2, 256)));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse("bytes4"), new byte[3]));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse("uint8[2]"), new[] { 1 }));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse("address"), "0x00"));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse("(bool,bool)"), new object[] { true }));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse("string"), null));
    }

    [Theory]
    [InlineData("uint8", "0000000000000000000000000000000000000000000000000000000000000100")]
    [InlineData("uint128", "0000000000000000000000000000000100000000000000000000000000000000")]
    [InlineData("int8", "00000000000000000000000000000000000000000000000000000000000000ff")]
    [InlineData("int8", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]
    [InlineData("address", "000000000000000000000001f39fd6e51aad88f6f4ce6ab8827279cfffb92266")]
    [InlineData("bool", "0000000000000000000000000000000000000000000000000000000000000002")]
    [InlineData("bool", "0100000000000000000000000000000000000000000000000000000000000001")]
    [InlineData("bytes2", "1234560000000000000000000000000000000000000000000000000000000000")]
    public void Decoder_rejects_dirty_high_bits(string typeText, string word) =>
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(AbiType.Parse(typeText), H(word)));

    [Fact]
    public void Decoder_rejects_bad_offsets_and_lengths()
    {
        var t = AbiType.Parse("bytes");
        // Truncated: no data at all, or a head without its tail.
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(t, []));
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(t, H("0000000000000000000000000000000000000000000000000000000000000020")));
        // Offset past the end, and an offset that does not fit 32 bits.
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(t, H("0000000000000000000000000000000000000000000000000000000000000040" + new string('0', 64))));
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(t, H("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff20" + new string('0', 64))));
        // Length larger than the data left.
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(t, H("0000000000000000000000000000000000000000000000000000000000000020"
            + "0000000000000000000000000000000000000000000000000000000000000021" + new string('0', 64))));
        // Invalid UTF-8 in a string.
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(AbiType.String, H("0000000000000000000000000000000000000000000000000000000000000020"
            + "0000000000000000000000000000000000000000000000000000000000000001" + "ff" + new string('0', 62))));
    }

    [Fact]
    public void Hostile_array_length_is_rejected_before_allocating()
    {
        // uint256[] claiming 2^32-1 elements with 32 bytes of data behind it.
        var data = H("0000000000000000000000000000000000000000000000000000000000000020"
            + "00000000000000000000000000000000000000000000000000000000ffffffff" + new string('0', 64));
        var ex = Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(AbiType.Parse("uint256[]"), data));
        Assert.Contains("4294967295 elements", ex.Message);
    }

    [Fact]
    public void Aliased_tails_cannot_amplify_memory()
    {
        // uint256[][] with 1000 inner offsets all pointing at one 1000-element array: about 64 KB that would decode to a million values.
        const int n = 1000;
        var sb = new StringBuilder();
        sb.Append(Word(0x20)).Append(Word(n));
        for (var i = 0; i < n; i++) sb.Append(Word(n * 32)); // every element points just past the offsets
        sb.Append(Word(n));
        for (var i = 0; i < n; i++) sb.Append(Word(1));
        var ex = Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(AbiType.Parse("uint256[][]"), H(sb.ToString())));
        Assert.Contains("reuses tails", ex.Message);
    }

    private static string Word(long v) => v.ToString("x64");

    [Fact]
    public void Solidity_style_trailing_bytes_are_allowed_but_truncation_is_not()
    {
        var t = AbiType.Parse("uint256");
        Assert.Equal(U(5), AbiDecoder.Decode(t, H(Word(5) + Word(9))));
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(t, H(Word(5))[..31]));
    }
}
