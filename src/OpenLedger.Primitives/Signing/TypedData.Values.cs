using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace OpenLedger.Primitives.Signing;

/// <summary>EIP-712 encoding of one member value to 32 bytes, with the JSON shapes wallets send for each type.</summary>
public sealed partial class TypedData
{
    private void EncodeValue(string type, JsonElement value, Span<byte> out32, string path)
    {
        if (TrySplitArray(type, out var element, out var fixedLength))
        {
            if (value.ValueKind != JsonValueKind.Array) throw new Eip712Exception($"{path} must be an array");
            int count = value.GetArrayLength();
            if (fixedLength >= 0 && count != fixedLength) throw new Eip712Exception($"{path} must have {fixedLength} elements, has {count}");
            var hasher = new Keccak256Hasher();
            Span<byte> item = stackalloc byte[32];
            int i = 0;
            foreach (var e in value.EnumerateArray())
            {
                EncodeValue(element, e, item, $"{path}[{i++}]");
                hasher.Update(item);
            }
            hasher.Finish(out32);
            return;
        }
        if (_types.ContainsKey(type))
        {
            HashStruct(type, value).WriteTo(out32);
            return;
        }
        out32.Clear();
        switch (type)
        {
            case "string":
                if (value.ValueKind != JsonValueKind.String) throw new Eip712Exception($"{path} must be a string");
                Keccak256.Hash(Encoding.UTF8.GetBytes(value.GetString()!), out32);
                return;
            case "bytes":
                Keccak256.Hash(HexValue(value, path), out32);
                return;
            case "bool":
                bool b = value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.String when value.GetString() is "true" or "false" => value.GetString() == "true",
                    _ => throw new Eip712Exception($"{path} must be a boolean"),
                };
                out32[31] = b ? (byte)1 : (byte)0;
                return;
            case "address":
                var address = HexValue(value, path);
                if (address.Length != 20) throw new Eip712Exception($"{path} must be a 20-byte address, got {address.Length} bytes");
                address.CopyTo(out32[12..]);
                return;
        }
        if (type.StartsWith("bytes", StringComparison.Ordinal))
        {
            int n = int.Parse(type.AsSpan(5), CultureInfo.InvariantCulture);
            var bytes = HexValue(value, path);
            if (bytes.Length != n) throw new Eip712Exception($"{path} must be exactly {n} bytes, got {bytes.Length}");
            bytes.CopyTo(out32);
            return;
        }
        bool signed = type[0] == 'i';
        int bits = int.Parse(type.AsSpan(signed ? 3 : 4), CultureInfo.InvariantCulture);
        var v = IntegerValue(value, path);
        var min = signed ? -(BigInteger.One << (bits - 1)) : BigInteger.Zero;
        var max = signed ? (BigInteger.One << (bits - 1)) - 1 : (BigInteger.One << bits) - 1;
        if (v < min || v > max) throw new Eip712Exception($"{path} = {v} does not fit {type}");
        if (v.Sign < 0)
        {
            out32.Fill(0xFF); // two's complement sign extension to 256 bits
            v += BigInteger.One << 256;
        }
        v.TryWriteBytes(out32[(32 - v.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
    }

    private static byte[] HexValue(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String) throw new Eip712Exception($"{path} must be a 0x-prefixed hex string");
        var text = value.GetString()!;
        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !Hex.TryDecode(text, out var bytes))
            throw new Eip712Exception($"{path} is not 0x-prefixed hex of whole bytes: \"{Truncate(text)}\"");
        return bytes;
    }

    /// <summary>A JSON integer, or a decimal / 0x-hex string (large numbers travel as strings).</summary>
    private static BigInteger IntegerValue(JsonElement value, string path)
    {
        string text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString()!,
            _ => throw new Eip712Exception($"{path} must be an integer (number or string)"),
        };
        if (text.Length > 100) throw new Eip712Exception($"{path} is too long to be a 256-bit integer");
        bool negative = text.StartsWith('-');
        var digits = negative ? text.AsSpan(1) : text.AsSpan();
        BigInteger result = default;
        bool ok = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? digits.Length > 2 && BigInteger.TryParse(string.Concat("0", digits[2..]), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out result)
            : digits.Length > 0 && char.IsAsciiDigit(digits[0]) && BigInteger.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out result);
        if (!ok) throw new Eip712Exception($"{path} is not an integer: \"{Truncate(text)}\"");
        return negative ? -result : result;
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "...";
}
