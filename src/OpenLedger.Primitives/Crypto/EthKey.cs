using System.Security.Cryptography;

namespace OpenLedger.Primitives.Crypto;

/// <summary>A secp256k1 private key with its address. Dispose to wipe the key bytes from memory.</summary>
public sealed class EthKey : IDisposable
{
    private readonly byte[] _key;
    private readonly byte[] _publicKey;
    private bool _disposed;

    public EthKey(ReadOnlySpan<byte> privateKey32)
    {
        if (!Secp256k1.IsValidPrivateKey(privateKey32))
            throw new ArgumentException("private key must be 32 bytes with 1 <= key < n", nameof(privateKey32));
        _key = privateKey32.ToArray();
        _publicKey = Secp256k1.PublicKeyFromPrivateKey(_key);
        Address = Secp256k1.PublicKeyToAddress(_publicKey);
    }

    /// <summary>A fresh key from the OS CSPRNG (a 32-byte draw is out of range with probability ~2^-128; redrawn then).</summary>
    public static EthKey Generate()
    {
        Span<byte> candidate = stackalloc byte[32];
        try
        {
            while (true)
            {
                RandomNumberGenerator.Fill(candidate);
                if (Secp256k1.IsValidPrivateKey(candidate)) return new EthKey(candidate);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(candidate);
        }
    }

    public static EthKey FromHex(string hex)
    {
        var bytes = Hex.Decode(hex);
        try
        {
            return new EthKey(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public Address Address { get; }

    /// <summary>A copy of the 64-byte public key (x || y).</summary>
    public byte[] PublicKey => (byte[])_publicKey.Clone();

    public Signature Sign(ReadOnlySpan<byte> hash32) => Secp256k1.Sign(hash32, Key);

    public Signature Sign(in Hash256 hash) => Secp256k1.Sign(hash.Bytes, Key);

    /// <summary>A copy of the 32 private-key bytes; the caller owns (and should wipe) it.</summary>
    public byte[] ExportPrivateKey() => (byte[])Key.Clone();

    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_key);
    }

    /// <summary>The address only: the key never appears in logs.</summary>
    public override string ToString() => Address.ToString();

    private byte[] Key => _disposed ? throw new ObjectDisposedException(nameof(EthKey)) : _key;
}
