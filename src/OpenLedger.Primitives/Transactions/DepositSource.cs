namespace OpenLedger.Primitives.Transactions;

/// <summary>
/// Source hashes of deposited transactions (specs/protocol/deposits.md, "Source hash computation"):
/// keccak256(bytes32(domain) ‖ keccak256(origin data)), the domain keeping different kinds of origins apart.
/// </summary>
public static class DepositSource
{
    public const ulong UserDepositDomain = 0;
    public const ulong L1InfoDepositDomain = 1;
    public const ulong UpgradeDepositDomain = 2;

    /// <summary>A deposit from an L1 portal log: keccak256(0, keccak256(l1BlockHash ‖ uint256(logIndex))).</summary>
    public static Hash256 UserDeposit(Hash256 l1BlockHash, ulong l1LogIndex) => Compute(UserDepositDomain, l1BlockHash, l1LogIndex);

    /// <summary>The L1 attributes deposit: keccak256(1, keccak256(l1BlockHash ‖ uint256(seqNumber))).</summary>
    public static Hash256 L1InfoDeposit(Hash256 l1BlockHash, ulong sequenceNumber) => Compute(L1InfoDepositDomain, l1BlockHash, sequenceNumber);

    /// <summary>A network-upgrade deposit: keccak256(2, keccak256(intent as UTF-8)).</summary>
    public static Hash256 Upgrade(string intent)
    {
        var inner = Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(intent));
        return Outer(DomainWord(UpgradeDepositDomain), inner);
    }

    private static Hash256 Compute(ulong domain, Hash256 l1BlockHash, ulong index)
    {
        Span<byte> buf = stackalloc byte[64];
        l1BlockHash.Bytes.CopyTo(buf);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(buf[56..], index);
        return Outer(DomainWord(domain), Keccak256.Compute(buf));
    }

    private static byte[] DomainWord(ulong domain)
    {
        var word = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(word.AsSpan(24), domain);
        return word;
    }

    private static Hash256 Outer(byte[] domainWord, Hash256 inner)
    {
        Span<byte> buf = stackalloc byte[64];
        domainWord.CopyTo(buf);
        inner.Bytes.CopyTo(buf[32..]);
        return Keccak256.Compute(buf);
    }
}
