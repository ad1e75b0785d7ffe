using System.Buffers.Binary;
using System.Text.Json.Nodes;
using OpenLedger.Chain;
using OpenLedger.Evm.Precompiles;
using OpenLedger.Evm.Transactions;
using OpenLedger.Primitives;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Eth;

/// <summary>
/// EIP-7910 eth_config: the current, next and last fork configurations (activation time, blob schedule, chain id,
/// EIP-6122 fork hash, active precompiles and system contracts), derived from the same fork specs the node executes.
/// </summary>
public static class ConfigModule
{
    public static void Register(RpcMethodRegistry r, Blockchain chain)
    {
        r.Add("eth_config", p =>
        {
            p.ExpectAtMost(0);
            var schedule = chain.Config.Schedule().ToList();
            ulong headTime = chain.Head.Timestamp;
            int current = schedule.FindLastIndex(f => f.Time <= headTime);
            if (current < 0) current = 0;
            return new JsonObject
            {
                ["current"] = Fork(chain, schedule, current),
                ["next"] = current + 1 < schedule.Count ? Fork(chain, schedule, current + 1) : null,
                ["last"] = schedule.Count - 1 > current ? Fork(chain, schedule, schedule.Count - 1) : null,
            };
        });
    }

    private static JsonObject Fork(Blockchain chain, List<(ForkSpec Spec, ulong Time)> schedule, int index)
    {
        var (spec, time) = schedule[index];
        var precompiles = new JsonObject();
        foreach (var pc in PrecompileRegistry.For(spec).OrderBy(q => PrecompileRegistry.Name(q.AddressIndex), StringComparer.Ordinal))
        {
            var bytes = new byte[20];
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(18), (ushort)pc.AddressIndex);
            precompiles[PrecompileRegistry.Name(pc.AddressIndex)] = new Address(bytes).ToLowerHex();
        }
        var systemContracts = new JsonObject();
        if (spec.HasHistoryStorage) systemContracts["HISTORY_STORAGE_ADDRESS"] = SystemCall.HistoryStorageAddress.ToLowerHex();
        return new JsonObject
        {
            ["activationTime"] = time,
            ["blobSchedule"] = new JsonObject
            {
                ["baseFeeUpdateFraction"] = spec.BlobBaseFeeUpdateFraction,
                ["max"] = spec.MaxBlobsPerBlock,
                ["target"] = spec.TargetBlobsPerBlock,
            },
            ["chainId"] = RpcFormat.Q(chain.Config.ChainId),
            ["forkId"] = "0x" + Convert.ToHexStringLower(ForkHash(chain, schedule, index)),
            ["precompiles"] = precompiles,
            ["systemContracts"] = systemContracts,
        };
    }

    /// <summary>EIP-6122: CRC32 of the genesis hash, then of each activation time (8 bytes, big-endian) after genesis up to this fork.</summary>
    private static byte[] ForkHash(Blockchain chain, List<(ForkSpec Spec, ulong Time)> schedule, int index)
    {
        uint crc = Crc32.Update(0, chain.Genesis.Hash.Bytes);
        var seen = new HashSet<ulong>();
        Span<byte> be = stackalloc byte[8];
        for (int i = 0; i <= index; i++)
        {
            ulong t = schedule[i].Time;
            if (t <= chain.Genesis.Timestamp || !seen.Add(t)) continue;
            BinaryPrimitives.WriteUInt64BigEndian(be, t);
            crc = Crc32.Update(crc, be);
        }
        var result = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(result, crc);
        return result;
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected, as zlib) for EIP-2124/6122 fork hashes.</summary>
    private static class Crc32
    {
        private static readonly uint[] Table = Build();

        private static uint[] Build()
        {
            var t = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                t[n] = c;
            }
            return t;
        }

        public static uint Update(uint crc, ReadOnlySpan<byte> data)
        {
            uint c = ~crc;
            foreach (var b in data) c = Table[(c ^ b) & 0xff] ^ (c >> 8);
            return ~c;
        }
    }
}
