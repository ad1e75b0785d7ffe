using OpenLedger.Primitives.Abi;

namespace OpenLedger.Primitives.Tests;

/// <summary>Hostile input: random and mutated encodings either decode or throw <see cref="AbiDecodingException"/>, nothing else.</summary>
public class AbiFuzzTests
{
    private static readonly string[] Types =
    [
        "uint256", "int8", "address", "bool", "bytes7", "bytes", "string", "uint256[]", "string[]", "uint8[3]",
        "(uint64,string,bytes32[])", "(bool,(string,bytes)[])[2]", "uint256[][]", "string[2][]",
    ];

    [Fact]
    public void Random_bytes_never_escape_as_anything_but_a_decoding_error()
    {
        var rng = new Random(1234);
        foreach (var text in Types)
        {
            var type = AbiType.Parse(text);
            for (var i = 0; i < 300; i++)
            {
                var data = new byte[rng.Next(0, 8) * 32 + rng.Next(0, 2) * rng.Next(0, 32)];
                rng.NextBytes(data);
                // Small words make offsets and lengths plausible, which reaches deeper code than uniform noise.
                for (var w = 0; w + 32 <= data.Length; w += 32)
                    if (rng.Next(3) == 0) { Array.Clear(data, w, 31); data[w + 31] = (byte)(rng.Next(0, 9) * 32); }
                Decodes_or_throws_typed(type, data);
            }
        }
    }

    [Fact]
    public void Mutated_valid_encodings_never_escape_as_anything_but_a_decoding_error()
    {
        var rng = new Random(99);
        var type = AbiType.Parse("(bool,(string,bytes)[],address[2])[]");
        object[] Item(string s) => [true, new object[] { new object[] { s, new byte[] { 1, 2, 3 } } }, new object[] { Address.Zero, Address.Zero }];
        var valid = AbiEncoder.Encode(type, new object[] { Item("a"), Item("bb"), Item("") });
        for (var i = 0; i < 2000; i++)
        {
            var data = (byte[])valid.Clone();
            for (var k = rng.Next(1, 4); k > 0; k--) data[rng.Next(data.Length)] = (byte)rng.Next(256);
            Decodes_or_throws_typed(type, data.AsSpan(0, rng.Next(2) == 0 ? data.Length : rng.Next(data.Length)).ToArray());
        }
    }

    private static void Decodes_or_throws_typed(AbiType type, byte[] data)
    {
        try
        {
            var value = AbiDecoder.Decode(type, data);
            // Whatever decodes must re-encode: the decoder only produces values the encoder accepts.
            AbiEncoder.Encode(type, value);
        }
        catch (AbiDecodingException) { }
    }
}
