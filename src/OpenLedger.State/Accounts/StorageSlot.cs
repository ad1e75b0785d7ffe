using OpenLedger.Primitives;
using OpenLedger.Primitives.Rlp;
using RlpCodec = OpenLedger.Primitives.Rlp.Rlp;

namespace OpenLedger.State.Accounts;

/// <summary>How storage slots sit in a storage trie: key keccak256(slot as 32 big-endian bytes), value rlp(minimal big-endian value).</summary>
internal static class StorageSlot
{
    internal static void WriteKey(in UInt256 slot, Span<byte> key32) => slot.WriteBigEndian(key32);

    internal static byte[] EncodeValue(in UInt256 value) => RlpCodec.Encode(value);

    /// <exception cref="RlpException">The stored bytes are not a canonical RLP integer of at most 32 bytes.</exception>
    internal static UInt256 DecodeValue(ReadOnlySpan<byte> rlp)
    {
        var r = new RlpReader(rlp);
        var v = r.ReadUInt256();
        r.End();
        return v;
    }
}
