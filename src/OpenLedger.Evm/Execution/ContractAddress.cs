using System.Buffers.Binary;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Execution;

/// <summary>Addresses of new contracts: CREATE = keccak(rlp([sender, nonce]))[12:], CREATE2 (EIP-1014) = keccak(0xff ++ sender ++ salt ++ keccak(init))[12:].</summary>
public static class ContractAddress
{
    public static Address Create(Address sender, ulong nonce)
    {
        // rlp([sender, nonce]) is at most 1 + 21 + 9 bytes, so a short list header suffices.
        Span<byte> buf = stackalloc byte[32];
        buf[1] = 0x80 + 20;
        sender.Bytes.CopyTo(buf[2..]);
        int len = 22;
        if (nonce == 0) buf[len++] = 0x80;
        else if (nonce < 0x80) buf[len++] = (byte)nonce;
        else
        {
            int bytes = 8 - (System.Numerics.BitOperations.LeadingZeroCount(nonce) >> 3);
            buf[len++] = (byte)(0x80 + bytes);
            Span<byte> be = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(be, nonce);
            be[(8 - bytes)..].CopyTo(buf[len..]);
            len += bytes;
        }
        buf[0] = (byte)(0xc0 + len - 1);
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(buf[..len], hash);
        return new Address(hash[12..]);
    }

    public static Address Create2(Address sender, in UInt256 salt, ReadOnlySpan<byte> initCode)
    {
        Span<byte> buf = stackalloc byte[85];
        buf[0] = 0xff;
        sender.Bytes.CopyTo(buf[1..]);
        Word.WriteBigEndian(salt, buf[21..]);
        Keccak256.Hash(initCode, buf[53..]);
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(buf, hash);
        return new Address(hash[12..]);
    }
}
