using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OpenLedger.Primitives;

/// <summary>A 20-byte account address. Text form is EIP-55 mixed-case checksummed hex.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    public const int Length = 20;

    // Raw bytes in memory order.
    private readonly ulong _b0, _b1;
    private readonly uint _b2;

    public static readonly Address Zero = default;

    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"Address needs exactly {Length} bytes, got {bytes.Length}", nameof(bytes));
        _b0 = MemoryMarshal.Read<ulong>(bytes);
        _b1 = MemoryMarshal.Read<ulong>(bytes[8..]);
        _b2 = MemoryMarshal.Read<uint>(bytes[16..]);
    }

    /// <summary>The 20 bytes, viewed in place (valid while this value lives).</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<ulong, byte>(ref Unsafe.AsRef(in _b0)), Length);

    public bool IsZero => (_b0 | _b1 | _b2) == 0;

    public byte[] ToArray() => Bytes.ToArray();

    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
            throw new ArgumentException($"destination holds {destination.Length} bytes, Address needs {Length}", nameof(destination));
        MemoryMarshal.Write(destination, in _b0);
        MemoryMarshal.Write(destination[8..], in _b1);
        MemoryMarshal.Write(destination[16..], in _b2);
    }

    /// <summary>The last 20 bytes of a 32-byte word (how the EVM and ecrecover derive addresses).</summary>
    public static Address FromWord(ReadOnlySpan<byte> word32)
    {
        if (word32.Length != 32)
            throw new ArgumentException($"a word is 32 bytes, got {word32.Length}", nameof(word32));
        return new Address(word32[12..]);
    }

    /// <summary>
    /// Parses 40 hex digits with an optional 0x prefix. All-lowercase or all-uppercase input is accepted as is;
    /// mixed case must carry a correct EIP-55 checksum.
    /// </summary>
    public static Address Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var error = TryParseCore(text, out var address);
        if (error != null) throw new FormatException(error);
        return address;
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out Address address)
    {
        address = default;
        return text != null && TryParseCore(text, out address) == null;
    }

    private static string? TryParseCore(ReadOnlySpan<char> text, out Address address)
    {
        address = default;
        var digits = Hex.StripPrefix(text);
        if (digits.Length != 2 * Length)
            return $"an address needs {2 * Length} hex digits, got {digits.Length}";
        Span<byte> buf = stackalloc byte[Length];
        if (!Hex.TryDecode(digits, buf, out _))
            return "address contains a non-hex character";
        address = new Address(buf);
        bool hasLower = false, hasUpper = false;
        foreach (var c in digits)
        {
            if (c is >= 'a' and <= 'f') hasLower = true;
            else if (c is >= 'A' and <= 'F') hasUpper = true;
        }
        if (hasLower && hasUpper)
        {
            Span<char> expected = stackalloc char[2 * Length];
            address.WriteChecksummed(expected);
            if (!digits.SequenceEqual(expected))
                return "address has mixed case but an invalid EIP-55 checksum";
        }
        return null;
    }

    // EIP-55: uppercase a letter when the matching nibble of keccak(lowercase hex) is >= 8.
    private void WriteChecksummed(Span<char> chars40)
    {
        Convert.TryToHexStringLower(Bytes, chars40, out _);
        Span<byte> ascii = stackalloc byte[2 * Length];
        for (int i = 0; i < ascii.Length; i++) ascii[i] = (byte)chars40[i];
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(ascii, hash);
        for (int i = 0; i < chars40.Length; i++)
        {
            int nibble = (i & 1) == 0 ? hash[i >> 1] >> 4 : hash[i >> 1] & 0xF;
            if (nibble >= 8 && chars40[i] >= 'a') chars40[i] = (char)(chars40[i] - 32);
        }
    }

    public bool Equals(Address other) => ((_b0 ^ other._b0) | (_b1 ^ other._b1) | (_b2 ^ other._b2)) == 0;

    public override bool Equals(object? obj) => obj is Address a && Equals(a);

    public override int GetHashCode() => WordHash.Of(_b0, _b1, _b2, 0);

    /// <summary>Lexicographic byte order.</summary>
    public int CompareTo(Address other) => Bytes.SequenceCompareTo(other.Bytes);

    public static bool operator ==(Address a, Address b) => a.Equals(b);
    public static bool operator !=(Address a, Address b) => !a.Equals(b);

    /// <summary>Lowercase 0x-hex, without checksum (cheaper; for logs and keys).</summary>
    public string ToLowerHex() => Hex.Encode(Bytes);

    /// <summary>EIP-55 checksummed, 0x-prefixed.</summary>
    public override string ToString()
    {
        Span<char> chars = stackalloc char[2 + 2 * Length];
        chars[0] = '0';
        chars[1] = 'x';
        WriteChecksummed(chars[2..]);
        return new string(chars);
    }
}
