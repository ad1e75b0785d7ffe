using System.Numerics;
using System.Text;
using System.Text.Json;
using OpenLedger.Primitives.Rlp;
using OpenLedger.Tests.Shared;
using RlpCodec = OpenLedger.Primitives.Rlp.Rlp;

namespace OpenLedger.Primitives.Tests;

/// <summary>ethereum/tests RLPTests: every valid vector encodes to "out" and decodes back; every INVALID one is rejected.</summary>
public class RlpFixtureTests
{
    private static string Dir => Path.Combine(TestPaths.EthereumTests, "RLPTests");

    private static IEnumerable<(string File, string Name, JsonElement In, string Out)> Load()
    {
        var files = Directory.GetFiles(Dir, "*.json", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new FileNotFoundException($"no RLP fixtures under {Dir}");
        foreach (var file in files)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var test in doc.RootElement.EnumerateObject())
                yield return (Path.GetRelativePath(Dir, file), test.Name, test.Value.GetProperty("in").Clone(), test.Value.GetProperty("out").GetString()!);
        }
    }

    public static TheoryData<string, string> Vectors()
    {
        var data = new TheoryData<string, string>();
        foreach (var v in Load()) data.Add(v.File, v.Name);
        return data;
    }

    [Fact]
    public void Fixture_set_is_complete()
    {
        var all = Load().ToList();
        // rlptest.json (28) + invalidRLPTest.json (26) + RandomRLPTests/example.json (1) in the pinned checkout.
        Assert.True(all.Count >= 55, $"only {all.Count} RLP vectors found");
        Assert.Contains(all, v => v.In.ValueKind == JsonValueKind.String && v.In.GetString() == "INVALID");
        Assert.Contains(all, v => v.In.ValueKind == JsonValueKind.String && v.In.GetString()!.StartsWith('#'));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Vector(string file, string name)
    {
        var v = Load().Single(x => x.File == file && x.Name == name);
        var encoded = Hex.Decode(v.Out);
        if (v.In.ValueKind == JsonValueKind.String && v.In.GetString() == "INVALID")
        {
            Assert.Throws<RlpException>(() => RlpCodec.Decode(encoded));
            return;
        }
        if (v.In.ValueKind == JsonValueKind.String && v.In.GetString() == "VALID")
        {
            // Canonical and strict: decoding then re-encoding reproduces the input exactly.
            Assert.Equal(encoded, RlpCodec.Encode(RlpCodec.Decode(encoded)));
            return;
        }
        var expected = ToItem(v.In);
        Assert.Equal(v.Out.ToLowerInvariant().Replace("0x", ""), Hex.Encode(RlpCodec.Encode(expected), prefix: false));
        AssertSameTree(expected, RlpCodec.Decode(encoded));
        CheckTypedIntegerDecoding(v.In, encoded);
    }

    // Integers also go through the typed reader and writer (uint64 / UInt256) when they fit.
    private static void CheckTypedIntegerDecoding(JsonElement input, byte[] encoded)
    {
        BigInteger? value = input.ValueKind switch
        {
            JsonValueKind.Number => new BigInteger(input.GetUInt64()),
            JsonValueKind.String when input.GetString()!.StartsWith('#') => BigInteger.Parse(input.GetString()![1..]),
            _ => null,
        };
        if (value is not { } big) return;
        if (big <= ulong.MaxValue)
        {
            var reader = new RlpReader(encoded);
            Assert.Equal((ulong)big, reader.ReadUInt64());
            reader.End();
            Assert.Equal(encoded, RlpCodec.Encode((ulong)big));
        }
        if (big.GetBitLength() <= 256)
        {
            var reader = new RlpReader(encoded);
            Assert.Equal(UInt256.FromBigInteger(big), reader.ReadUInt256());
            reader.End();
            Assert.Equal(encoded, RlpCodec.Encode(UInt256.FromBigInteger(big)));
        }
        else
        {
            Assert.Throws<RlpException>(() => new RlpReader(encoded).ReadUInt256());
        }
    }

    private static RlpItem ToItem(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => RlpItem.List(e.EnumerateArray().Select(ToItem)),
        JsonValueKind.Number => RlpItem.FromBytes(MinimalBigEndian(new BigInteger(e.GetUInt64()))),
        JsonValueKind.String when e.GetString()!.StartsWith('#') => RlpItem.FromBytes(MinimalBigEndian(BigInteger.Parse(e.GetString()![1..]))),
        JsonValueKind.String => RlpItem.FromBytes(Encoding.UTF8.GetBytes(e.GetString()!)),
        _ => throw new InvalidDataException($"unexpected JSON {e.ValueKind} in RLP fixture"),
    };

    private static byte[] MinimalBigEndian(BigInteger v) => v.IsZero ? [] : v.ToByteArray(isUnsigned: true, isBigEndian: true);

    private static void AssertSameTree(RlpItem expected, RlpItem actual)
    {
        Assert.Equal(expected.IsList, actual.IsList);
        if (!expected.IsList)
        {
            Assert.Equal(expected.Bytes.ToArray(), actual.Bytes.ToArray());
            return;
        }
        Assert.Equal(expected.Items.Count, actual.Items.Count);
        for (int i = 0; i < expected.Items.Count; i++) AssertSameTree(expected.Items[i], actual.Items[i]);
    }
}
