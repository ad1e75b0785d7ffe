using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Sec;

namespace OpenLedger.Primitives.Wallet;

/// <summary>BIP-32 hierarchical deterministic private keys (secp256k1), enough to derive m/44'/60'/0'/0/i.</summary>
public sealed class Bip32Key
{
    private static readonly Org.BouncyCastle.Asn1.X9.X9ECParameters Curve = SecNamedCurves.GetByName("secp256k1");
    private static readonly BigInteger N = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber);
    private const uint Hardened = 0x80000000;

    private readonly byte[] _key;
    private readonly byte[] _chainCode;

    private Bip32Key(byte[] key, byte[] chainCode)
    {
        _key = key;
        _chainCode = chainCode;
    }

    /// <summary>The 32-byte private key.</summary>
    public ReadOnlySpan<byte> PrivateKey => _key;

    public static Bip32Key FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length is < 16 or > 64) throw new ArgumentException($"BIP-32 seed must be 16 to 64 bytes, got {seed.Length}");
        var i = HMACSHA512.HashData("Bitcoin seed"u8, seed);
        var k = ToBig(i.AsSpan(0, 32));
        if (k.IsZero || k >= N) throw new InvalidOperationException("seed produces an invalid master key; use another seed");
        return new Bip32Key(i[..32], i[32..]);
    }

    /// <summary>Derives along a path such as m/44'/60'/0'/0/0.</summary>
    public Bip32Key Derive(string path)
    {
        var parts = path.Split('/');
        if (parts.Length == 0 || parts[0] != "m") throw new FormatException($"derivation path must start with m/: {path}");
        var key = this;
        foreach (var part in parts.Skip(1))
        {
            bool hardened = part.EndsWith('\'') || part.EndsWith('h');
            var digits = hardened ? part[..^1] : part;
            if (!uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= Hardened)
                throw new FormatException($"bad derivation path component '{part}' in {path}");
            key = key.Child(hardened ? index | Hardened : index);
        }
        return key;
    }

    public Bip32Key Child(uint index)
    {
        Span<byte> data = stackalloc byte[37];
        if (index >= Hardened)
        {
            data[0] = 0;
            _key.CopyTo(data[1..]);
        }
        else
        {
            CompressedPublicKey().CopyTo(data);
        }
        BinaryPrimitives.WriteUInt32BigEndian(data[33..], index);
        var i = HMACSHA512.HashData(_chainCode, data);
        var il = ToBig(i.AsSpan(0, 32));
        var child = (il + ToBig(_key)) % N;
        // BIP-32: such an index is skipped; probability about 2^-127.
        if (il >= N || child.IsZero) throw new InvalidOperationException($"BIP-32 index {index} is invalid for this key; use the next one");
        var bytes = new byte[32];
        child.TryWriteBytes(bytes.AsSpan(32 - child.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return new Bip32Key(bytes, i[32..]);
    }

    private byte[] CompressedPublicKey() =>
        Curve.G.Multiply(new Org.BouncyCastle.Math.BigInteger(1, _key)).Normalize().GetEncoded(compressed: true);

    private static BigInteger ToBig(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: true);
}
