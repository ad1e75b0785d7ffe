namespace OpenLedger.Primitives.Forks;

/// <summary>
/// Every gas constant in one place (Yellow Paper appendix G as amended by EIP-150, 2028, 2200, 2929, 2930, 3529, 3860,
/// 1153, 4844, 5656, 7623, 7702). A fork spec holds one; a chain may derive a modified copy with `with`.
/// </summary>
public sealed record GasSchedule
{
    public long Zero { get; init; } = 0;
    public long Base { get; init; } = 2;
    public long VeryLow { get; init; } = 3;
    public long Low { get; init; } = 5;
    public long Mid { get; init; } = 8;
    public long High { get; init; } = 10;
    public long JumpDest { get; init; } = 1;
    public long Exp { get; init; } = 10;
    public long ExpByte { get; init; } = 50;
    public long Keccak { get; init; } = 30;
    public long KeccakWord { get; init; } = 6;
    public long CopyWord { get; init; } = 3;
    public long MemoryWord { get; init; } = 3;
    public long MemoryQuadDivisor { get; init; } = 512;
    public long Log { get; init; } = 375;
    public long LogTopic { get; init; } = 375;
    public long LogDataByte { get; init; } = 8;
    public long BlockHash { get; init; } = 20;
    public long Create { get; init; } = 32000;
    public long CodeDepositByte { get; init; } = 200;
    public long InitCodeWord { get; init; } = 2;
    public long Create2HashWord { get; init; } = 6;
    public long CallValue { get; init; } = 9000;
    public long CallStipend { get; init; } = 2300;
    public long NewAccount { get; init; } = 25000;
    public long SelfDestruct { get; init; } = 5000;
    public long WarmAccess { get; init; } = 100;
    public long ColdAccountAccess { get; init; } = 2600;
    public long ColdSload { get; init; } = 2100;
    public long SstoreSet { get; init; } = 20000;
    public long SstoreReset { get; init; } = 2900;
    public long SstoreClearsRefund { get; init; } = 4800;
    public long SstoreSentry { get; init; } = 2300;
    public long TransientAccess { get; init; } = 100;
    public long BlobHash { get; init; } = 3;
    public long TxBase { get; init; } = 21000;
    /// <summary>EIP-2 (Homestead): a creating transaction pays this on top of <see cref="TxBase"/>.</summary>
    public long TxCreate { get; init; } = 32000;
    public long TxDataZero { get; init; } = 4;
    /// <summary>16 since EIP-2028 (Istanbul), 68 before.</summary>
    public long TxDataNonZero { get; init; } = 16;
    public long TxAccessListAddress { get; init; } = 2400;
    public long TxAccessListStorageKey { get; init; } = 1900;
    /// <summary>EIP-7702: intrinsic gas per authorization (refunded down to <see cref="PerAuthBase"/> when the authority exists).</summary>
    public long PerEmptyAccount { get; init; } = 25000;
    public long PerAuthBase { get; init; } = 12500;
    /// <summary>EIP-7623: floor gas per calldata token (a zero byte is one token, a non-zero byte four).</summary>
    public long TotalCostFloorPerToken { get; init; } = 10;
    /// <summary>EIP-3529: the refund is capped at gas used divided by this.</summary>
    public long MaxRefundQuotient { get; init; } = 5;

    public static readonly GasSchedule Cancun = new();
    /// <summary>Before EIP-2028 a non-zero calldata byte cost 68.</summary>
    public static readonly GasSchedule PreIstanbul = new() { TxDataNonZero = 68 };
}
