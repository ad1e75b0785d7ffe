using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace OpenLedger.Primitives;

// Byte, BigInteger, text and primitive-integer conversions.
public readonly partial struct UInt256
{
    /// <summary>Reads up to 32 big-endian bytes (shorter input is left-padded with zeros).</summary>
    public static UInt256 FromBigEndian(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 32)
            throw new ArgumentException($"a UInt256 holds at most 32 bytes, got {bytes.Length}", nameof(bytes));
        if (bytes.Length == 32)
        {
            return new UInt256(
                BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
                BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
                BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
                BinaryPrimitives.ReadUInt64BigEndian(bytes));
        }
        Span<byte> padded = stackalloc byte[32];
        padded.Clear();
        bytes.CopyTo(padded[(32 - bytes.Length)..]);
        return FromBigEndian(padded);
    }

    /// <summary>Writes the full 32-byte big-endian form.</summary>
    public void WriteBigEndian(Span<byte> dest32)
    {
        if (dest32.Length < 32)
            throw new ArgumentException($"destination holds {dest32.Length} bytes, a UInt256 needs 32", nameof(dest32));
        BinaryPrimitives.WriteUInt64BigEndian(dest32, u3);
        BinaryPrimitives.WriteUInt64BigEndian(dest32[8..], u2);
        BinaryPrimitives.WriteUInt64BigEndian(dest32[16..], u1);
        BinaryPrimitives.WriteUInt64BigEndian(dest32[24..], u0);
    }

    /// <summary>Writes the minimal big-endian form (no leading zeros; nothing for zero) and returns its length.</summary>
    public int WriteBigEndianMinimal(Span<byte> dest)
    {
        int len = ByteLength;
        if (dest.Length < len)
            throw new ArgumentException($"destination holds {dest.Length} bytes, value needs {len}", nameof(dest));
        Span<byte> full = stackalloc byte[32];
        WriteBigEndian(full);
        full[(32 - len)..].CopyTo(dest);
        return len;
    }

    /// <summary>The 32-byte big-endian form.</summary>
    public byte[] ToBigEndian()
    {
        var result = new byte[32];
        WriteBigEndian(result);
        return result;
    }

    /// <summary>The minimal big-endian form (empty for zero), as RLP and JSON quantities use.</summary>
    public byte[] ToBigEndianMinimal()
    {
        var result = new byte[ByteLength];
        WriteBigEndianMinimal(result);
        return result;
    }

    public BigInteger ToBigInteger()
    {
        Span<byte> buf = stackalloc byte[32];
        WriteBigEndian(buf);
        return new BigInteger(buf, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Throws <see cref="OverflowException"/> unless 0 &lt;= value &lt; 2^256.</summary>
    public static UInt256 FromBigInteger(BigInteger value)
    {
        if (value.Sign < 0) throw new OverflowException("negative value does not fit in UInt256");
        int count = value.GetByteCount(isUnsigned: true);
        if (count > 32) throw new OverflowException("value does not fit in 256 bits");
        Span<byte> buf = stackalloc byte[32];
        buf.Clear();
        value.TryWriteBytes(buf[(32 - count)..], out _, isUnsigned: true, isBigEndian: true);
        return FromBigEndian(buf);
    }

    /// <summary>Parses "0x"-prefixed hex (leading zeros allowed) or plain decimal. Rejects empty input, signs and overflow.</summary>
    public static UInt256 Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var error = TryParseCore(text, out var value);
        if (error != null) throw new FormatException($"invalid UInt256 \"{Truncate(text)}\": {error}");
        return value;
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out UInt256 value)
    {
        value = default;
        return text != null && TryParseCore(text, out value) == null;
    }

    public static bool TryParse(ReadOnlySpan<char> text, out UInt256 value) => TryParseCore(text, out value) == null;

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "...";

    private static string? TryParseCore(ReadOnlySpan<char> text, out UInt256 value)
    {
        value = default;
        if (text.Length >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        {
            var digits = text[2..];
            if (digits.IsEmpty) return "no hex digits after 0x";
            while (digits.Length > 1 && digits[0] == '0') digits = digits[1..];
            if (digits.Length > 64) return "more than 256 bits";
            ulong l0 = 0, l1 = 0, l2 = 0, l3 = 0;
            for (int i = 0; i < digits.Length; i++)
            {
                int nib = Hex.Nibble(digits[i]);
                if (nib < 0) return $"invalid hex digit '{digits[i]}'";
                // value = value * 16 + nib; cannot overflow as there are at most 64 significant digits.
                l3 = (l3 << 4) | (l2 >> 60);
                l2 = (l2 << 4) | (l1 >> 60);
                l1 = (l1 << 4) | (l0 >> 60);
                l0 = (l0 << 4) | (uint)nib;
            }
            value = new UInt256(l0, l1, l2, l3);
            return null;
        }
        if (text.IsEmpty) return "empty";
        UInt256 acc = Zero;
        UInt256 ten = new(10);
        foreach (char c in text)
        {
            if (c < '0' || c > '9') return $"invalid decimal digit '{c}'";
            if (MultiplyOverflow(acc, ten, out acc) || AddOverflow(acc, new UInt256((ulong)(c - '0')), out acc))
                return "more than 256 bits";
        }
        value = acc;
        return null;
    }

    /// <summary>Decimal.</summary>
    public override string ToString()
    {
        if (IsUlong) return u0.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // 10^19 is the largest power of ten below 2^64; 2^256 has 78 digits, so at most five chunks.
        const ulong chunk = 10_000_000_000_000_000_000UL;
        Span<ulong> parts = stackalloc ulong[5];
        int count = 0;
        UInt256 rest = this;
        while (!rest.IsZero)
        {
            parts[count++] = DivRem(rest, chunk, out rest);
        }
        Span<char> chars = stackalloc char[5 * 19];
        int pos = 0;
        parts[count - 1].TryFormat(chars, out pos, default, System.Globalization.CultureInfo.InvariantCulture);
        for (int i = count - 2; i >= 0; i--)
        {
            parts[i].TryFormat(chars[pos..], out int w, "D19", System.Globalization.CultureInfo.InvariantCulture);
            pos += w;
        }
        return new string(chars[..pos]);
    }

    /// <summary>Minimal 0x-hex, "0x0" for zero: the JSON-RPC quantity form.</summary>
    public string ToHexString()
    {
        Span<byte> buf = stackalloc byte[32];
        WriteBigEndian(buf);
        Span<char> chars = stackalloc char[66];
        chars[0] = '0';
        chars[1] = 'x';
        Convert.TryToHexStringLower(buf, chars[2..], out _);
        var digits = chars[2..];
        int skip = 0;
        while (skip < 63 && digits[skip] == '0') skip++;
        digits[skip..].CopyTo(chars[2..]);
        return new string(chars[..(2 + 64 - skip)]);
    }

    public static implicit operator UInt256(ulong value) => new(value);
    public static implicit operator UInt256(uint value) => new(value);

    /// <summary>Non-negative ints only (throws <see cref="OverflowException"/> otherwise), so literals and counts convert directly.</summary>
    public static implicit operator UInt256(int value) =>
        value >= 0 ? new UInt256((ulong)value) : throw new OverflowException($"negative value {value} does not convert to UInt256");

    public static explicit operator UInt256(long value) =>
        value >= 0 ? new UInt256((ulong)value) : throw new OverflowException($"negative value {value} does not convert to UInt256");

    public static explicit operator UInt256(BigInteger value) => FromBigInteger(value);
    public static explicit operator BigInteger(in UInt256 value) => value.ToBigInteger();

    /// <summary>Checked: throws <see cref="OverflowException"/> unless <see cref="IsUlong"/>. Use <see cref="u0"/> to truncate.</summary>
    public static explicit operator ulong(in UInt256 value) =>
        value.IsUlong ? value.u0 : throw new OverflowException("UInt256 value does not fit in 64 bits");

    /// <summary>Checked conversion to long.</summary>
    public static explicit operator long(in UInt256 value) =>
        value.TryToLong(out long r) ? r : throw new OverflowException("UInt256 value does not fit in a long");

    /// <summary>Checked conversion to int.</summary>
    public static explicit operator int(in UInt256 value) =>
        value.IsUlong && value.u0 <= int.MaxValue ? (int)value.u0 : throw new OverflowException("UInt256 value does not fit in an int");

    public bool TryToLong(out long value)
    {
        bool ok = IsUlong && u0 <= long.MaxValue;
        value = ok ? (long)u0 : 0;
        return ok;
    }

    public bool TryToUlong(out ulong value)
    {
        value = u0;
        return IsUlong;
    }

    public bool TryToInt(out int value)
    {
        bool ok = IsUlong && u0 <= int.MaxValue;
        value = ok ? (int)u0 : 0;
        return ok;
    }
}
