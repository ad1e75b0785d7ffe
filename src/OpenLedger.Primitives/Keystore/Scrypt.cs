using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace OpenLedger.Primitives.Keystore;

/// <summary>
/// scrypt (RFC 7914). Written here because BouncyCastle enforces RFC 7914's N &lt; 2^(16r), which rejects
/// n = 2^18, r = 1 — the parameters of the Web3 Secret Storage spec's own test vector, accepted by geth and ethers.
/// It allocates 128·n·r bytes: bound n, r, p first (as <see cref="ScryptParameters"/> does) when they come from input.
/// </summary>
public static class Scrypt
{
    public static byte[] Derive(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int n, int r, int p, int dkLen)
    {
        if (n < 2 || (n & (n - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(n), "n must be a power of two >= 2");
        if (r < 1 || p < 1 || dkLen < 1) throw new ArgumentOutOfRangeException(nameof(r), "r, p and dkLen must be >= 1");
        int blockBytes = checked(128 * r);
        int words = 32 * r;
        var b = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1, HashAlgorithmName.SHA256, checked(p * blockBytes));
        var x = new uint[words];
        var y = new uint[words];
        var v = new uint[checked((long)n * words)];
        for (int i = 0; i < p; i++)
        {
            var block = b.AsSpan(i * blockBytes, blockBytes);
            for (int w = 0; w < words; w++) x[w] = BinaryPrimitives.ReadUInt32LittleEndian(block[(4 * w)..]);
            RoMix(x, v, y, n, r);
            for (int w = 0; w < words; w++) BinaryPrimitives.WriteUInt32LittleEndian(block[(4 * w)..], x[w]);
        }
        var result = Rfc2898DeriveBytes.Pbkdf2(password, b, 1, HashAlgorithmName.SHA256, dkLen);
        CryptographicOperations.ZeroMemory(b);
        Array.Clear(v);
        return result;
    }

    private static void RoMix(uint[] x, uint[] v, uint[] y, int n, int r)
    {
        int words = x.Length;
        var t = new uint[16];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(x, 0, v, (long)i * words, words);
            BlockMix(x, y, t, r);
        }
        int last = (2 * r - 1) * 16;
        for (int i = 0; i < n; i++)
        {
            int j = (int)(x[last] & (uint)(n - 1)) * words;
            for (int w = 0; w < words; w++) x[w] ^= v[j + w];
            BlockMix(x, y, t, r);
        }
    }

    // B' = (Y0, Y2, ..., Y2r-2, Y1, Y3, ..., Y2r-1) where Yi = Salsa20/8(Yi-1 xor Bi), Y-1 = B2r-1.
    private static void BlockMix(uint[] b, uint[] y, uint[] t, int r)
    {
        Array.Copy(b, (2 * r - 1) * 16, t, 0, 16);
        for (int i = 0; i < 2 * r; i++)
        {
            Salsa208Xor(t, b, i * 16);
            Array.Copy(t, 0, y, ((i & 1) == 0 ? i / 2 : r + i / 2) * 16, 16);
        }
        Array.Copy(y, b, b.Length);
    }

    /// <summary>t = Salsa20/8(t xor b[offset..offset+16]); arrays and locals only, which keeps unoptimized (Debug) builds fast too.</summary>
    private static void Salsa208Xor(uint[] t, uint[] b, int o)
    {
        uint j0 = t[0] ^ b[o], j1 = t[1] ^ b[o + 1], j2 = t[2] ^ b[o + 2], j3 = t[3] ^ b[o + 3];
        uint j4 = t[4] ^ b[o + 4], j5 = t[5] ^ b[o + 5], j6 = t[6] ^ b[o + 6], j7 = t[7] ^ b[o + 7];
        uint j8 = t[8] ^ b[o + 8], j9 = t[9] ^ b[o + 9], j10 = t[10] ^ b[o + 10], j11 = t[11] ^ b[o + 11];
        uint j12 = t[12] ^ b[o + 12], j13 = t[13] ^ b[o + 13], j14 = t[14] ^ b[o + 14], j15 = t[15] ^ b[o + 15];
        uint x0 = j0, x1 = j1, x2 = j2, x3 = j3, x4 = j4, x5 = j5, x6 = j6, x7 = j7;
        uint x8 = j8, x9 = j9, x10 = j10, x11 = j11, x12 = j12, x13 = j13, x14 = j14, x15 = j15;
        for (int i = 0; i < 8; i += 2)
        {
            // columns
            x4 ^= BitOperations.RotateLeft(x0 + x12, 7); x8 ^= BitOperations.RotateLeft(x4 + x0, 9);
            x12 ^= BitOperations.RotateLeft(x8 + x4, 13); x0 ^= BitOperations.RotateLeft(x12 + x8, 18);
            x9 ^= BitOperations.RotateLeft(x5 + x1, 7); x13 ^= BitOperations.RotateLeft(x9 + x5, 9);
            x1 ^= BitOperations.RotateLeft(x13 + x9, 13); x5 ^= BitOperations.RotateLeft(x1 + x13, 18);
            x14 ^= BitOperations.RotateLeft(x10 + x6, 7); x2 ^= BitOperations.RotateLeft(x14 + x10, 9);
            x6 ^= BitOperations.RotateLeft(x2 + x14, 13); x10 ^= BitOperations.RotateLeft(x6 + x2, 18);
            x3 ^= BitOperations.RotateLeft(x15 + x11, 7); x7 ^= BitOperations.RotateLeft(x3 + x15, 9);
            x11 ^= BitOperations.RotateLeft(x7 + x3, 13); x15 ^= BitOperations.RotateLeft(x11 + x7, 18);
            // rows
            x1 ^= BitOperations.RotateLeft(x0 + x3, 7); x2 ^= BitOperations.RotateLeft(x1 + x0, 9);
            x3 ^= BitOperations.RotateLeft(x2 + x1, 13); x0 ^= BitOperations.RotateLeft(x3 + x2, 18);
            x6 ^= BitOperations.RotateLeft(x5 + x4, 7); x7 ^= BitOperations.RotateLeft(x6 + x5, 9);
            x4 ^= BitOperations.RotateLeft(x7 + x6, 13); x5 ^= BitOperations.RotateLeft(x4 + x7, 18);
            x11 ^= BitOperations.RotateLeft(x10 + x9, 7); x8 ^= BitOperations.RotateLeft(x11 + x10, 9);
            x9 ^= BitOperations.RotateLeft(x8 + x11, 13); x10 ^= BitOperations.RotateLeft(x9 + x8, 18);
            x12 ^= BitOperations.RotateLeft(x15 + x14, 7); x13 ^= BitOperations.RotateLeft(x12 + x15, 9);
            x14 ^= BitOperations.RotateLeft(x13 + x12, 13); x15 ^= BitOperations.RotateLeft(x14 + x13, 18);
        }
        t[0] = x0 + j0; t[1] = x1 + j1; t[2] = x2 + j2; t[3] = x3 + j3; t[4] = x4 + j4; t[5] = x5 + j5; t[6] = x6 + j6; t[7] = x7 + j7;
        t[8] = x8 + j8; t[9] = x9 + j9; t[10] = x10 + j10; t[11] = x11 + j11; t[12] = x12 + j12; t[13] = x13 + j13; t[14] = x14 + j14; t[15] = x15 + j15;
    }
}
