using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace OpenLedger.Primitives;

/// <summary>
/// Hash codes for words and addresses (dictionary keys on the EVM's hot paths: storage slots, accounts). An NH-style
/// multiply of key-offset limb pairs, keeping the high half: about a quarter of the cost of <see cref="HashCode.Combine{T1,T2,T3,T4}"/>.
/// The offsets are drawn per process, as HashCode's seed is, so a contract cannot choose storage keys that all land
/// in one bucket.
/// </summary>
internal static class WordHash
{
    private static readonly ulong K0 = Draw(), K1 = Draw(), K2 = Draw(), K3 = Draw();

    private static ulong Draw()
    {
        Span<byte> b = stackalloc byte[8];
        RandomNumberGenerator.Fill(b);
        return BitConverter.ToUInt64(b) | 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Of(ulong a, ulong b, ulong c, ulong d) => (int)(((a + K0) * (b + K1) + (c + K2) * (d + K3)) >> 32);
}
