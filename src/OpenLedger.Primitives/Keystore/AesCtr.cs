using System.Security.Cryptography;

namespace OpenLedger.Primitives.Keystore;

/// <summary>AES-CTR (NIST SP 800-38A) with the whole 128-bit IV as a big-endian counter, as geth and ethers do.</summary>
internal static class AesCtr
{
    /// <summary>Encryption and decryption are the same XOR with the keystream.</summary>
    public static byte[] Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv16, ReadOnlySpan<byte> input)
    {
        if (iv16.Length != 16) throw new KeystoreException($"cipherparams.iv must be 16 bytes, got {iv16.Length}");
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        int blocks = (input.Length + 15) / 16;
        var counters = new byte[blocks * 16];
        Span<byte> counter = stackalloc byte[16];
        iv16.CopyTo(counter);
        for (int b = 0; b < blocks; b++)
        {
            counter.CopyTo(counters.AsSpan(b * 16));
            for (int i = 15; i >= 0 && ++counter[i] == 0; i--) { }
        }
        var keystream = aes.EncryptEcb(counters, PaddingMode.None);
        var output = new byte[input.Length];
        for (int i = 0; i < input.Length; i++) output[i] = (byte)(input[i] ^ keystream[i]);
        return output;
    }
}
