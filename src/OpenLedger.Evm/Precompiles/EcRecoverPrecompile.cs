using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;

namespace OpenLedger.Evm.Precompiles;

/// <summary>0x01 ecrecover(hash, v, r, s): the signer's address left-padded to 32 bytes, or empty output for a bad signature (3000 gas).</summary>
public sealed class EcRecoverPrecompile : IPrecompile
{
    public int AddressIndex => 0x01;

    public long GasCost(ReadOnlySpan<byte> input) => 3000;

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        Span<byte> buf = stackalloc byte[128];
        buf.Clear();
        input[..Math.Min(128, input.Length)].CopyTo(buf);
        output = [];
        // v is a full word that must be exactly 27 or 28.
        var v = buf.Slice(32, 32);
        if (v[..31].IndexOfAnyExcept((byte)0) >= 0 || (v[31] != 27 && v[31] != 28)) return true;
        var r = buf.Slice(64, 32);
        var s = buf.Slice(96, 32);
        if (!InRange(r) || !InRange(s)) return true;
        if (!Secp256k1.TryRecoverAddress(buf[..32], r, s, v[31] - 27, out var address)) return true;
        output = new byte[32];
        address.Bytes.CopyTo(output.AsSpan(12));
        return true;
    }

    private static bool InRange(ReadOnlySpan<byte> word)
    {
        var x = new UInt256(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(word[24..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(word[16..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(word[8..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(word));
        return !x.IsZero && x < Secp256k1.N;
    }
}
