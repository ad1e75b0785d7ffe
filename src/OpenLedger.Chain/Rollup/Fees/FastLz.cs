using System.Buffers.Binary;

namespace OpenLedger.Chain.Rollup.Fees;

/// <summary>
/// The length of FastLZ level-1 compression (fastlz.c's <c>fastlz1_compress</c> at the commit OP Stack's Fjord spec
/// pins), which Fjord's L1 data fee uses to estimate a transaction's compressed size. Only the length is needed, so
/// nothing is written: literal runs cost one byte per 32 plus the bytes, matches two or three bytes (more past 262).
/// The same algorithm is written in Solidity in <c>contracts/src/l2/predeploys/GasPriceOracle.sol</c>; tests hold both
/// to OP's published GasPriceOracle.
/// </summary>
public static class FastLz
{
    private const int HashLog = 13;
    private const int HashSize = 1 << HashLog;
    private const int MaxCopy = 32;
    private const int MaxLen = 264;
    private const int MaxL1Distance = 8192;

    // The hash table, per thread. Instead of clearing 32 KiB per call (most of the time for a 100-byte transaction), each
    // entry carries the call's stamp in its high half; an entry from an earlier call reads as 0, fastlz's initial value.
    [ThreadStatic] private static ulong[]? _table;
    [ThreadStatic] private static uint _stamp;

    public static int CompressedLength(ReadOnlySpan<byte> input)
    {
        int length = input.Length;
        int ipBound = length - 4;
        int ipLimit = length - 13;
        var htab = _table ??= new ulong[HashSize];
        if (++_stamp == 0)
        {
            Array.Clear(htab);
            _stamp = 1;
        }
        ulong stamp = (ulong)_stamp << 32;
        int anchor = 0, ip = 2, size = 0;
        while (ip < ipLimit)
        {
            uint seq, cmp;
            int reference, distance;
            do
            {
                seq = Read24(input, ip);
                int hash = Hash(seq);
                ulong e = htab[hash];
                reference = (e & 0xFFFFFFFF_00000000) == stamp ? (int)(uint)e : 0;
                htab[hash] = stamp | (uint)ip;
                distance = ip - reference;
                cmp = distance < MaxL1Distance ? Read24(input, reference) : 0x1000000;
                if (ip >= ipLimit) break;
                ip++;
            } while (seq != cmp);
            if (ip >= ipLimit) break;
            ip--;
            if (ip > anchor) size += LiteralsLength(ip - anchor);
            int len = MatchLength(input, reference + 3, ip + 3, ipBound);
            size += MatchCodeLength(len);
            ip += len;
            htab[Hash(Read24(input, ip))] = stamp | (uint)ip++;
            htab[Hash(Read24(input, ip))] = stamp | (uint)ip++;
            anchor = ip;
        }
        return size + LiteralsLength(length - anchor);
    }

    /// <summary>fastlz.c's flz_cmp: bytes compared from p and q until q reaches the bound, counting the first mismatch.</summary>
    private static int MatchLength(ReadOnlySpan<byte> data, int p, int q, int bound)
    {
        int start = p;
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[p..]) == BinaryPrimitives.ReadUInt32LittleEndian(data[q..]))
        {
            p += 4;
            q += 4;
        }
        while (q < bound)
            if (data[p++] != data[q++]) break;
        return p - start;
    }

    private static int LiteralsLength(int runs) => runs / MaxCopy * (MaxCopy + 1) + (runs % MaxCopy is var rest and > 0 ? rest + 1 : 0);

    private static int MatchCodeLength(int len)
    {
        int size = 0;
        while (len > MaxLen - 2)
        {
            size += 3;
            len -= MaxLen - 2;
        }
        return size + (len < 7 ? 2 : 3);
    }

    private static uint Read24(ReadOnlySpan<byte> data, int at) => (uint)(data[at] | data[at + 1] << 8 | data[at + 2] << 16);

    private static int Hash(uint v) => (int)((v * 2654435769u) >> (32 - HashLog)) & (HashSize - 1);
}
