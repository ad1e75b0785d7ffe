using OpenLedger.Primitives;

namespace OpenLedger.Evm;

/// <summary>The block a transaction executes in, as the block opcodes see it.</summary>
public sealed record BlockContext
{
    public Address Coinbase { get; init; }
    public ulong Number { get; init; }
    public ulong Timestamp { get; init; }
    public ulong GasLimit { get; init; }
    public UInt256 BaseFee { get; init; }
    public Hash256 PrevRandao { get; init; }
    public UInt256 ChainId { get; init; } = UInt256.One;
    /// <summary>EIP-4844 excess blob gas of this block.</summary>
    public ulong ExcessBlobGas { get; init; }
    /// <summary>Hash of an earlier block (BLOCKHASH asks only for the last 256); null gives zero.</summary>
    public Func<ulong, Hash256>? BlockHashes { get; init; }

    /// <summary>EIP-4844 blob base fee: fake_exponential(MIN_BLOB_BASE_FEE, excess, UPDATE_FRACTION).</summary>
    public UInt256 BlobBaseFee(ForkSpec spec) => FakeExponential(new UInt256(spec.MinBlobBaseFee), new UInt256(ExcessBlobGas), new UInt256(spec.BlobBaseFeeUpdateFraction));

    /// <summary>The integer approximation of factor * e^(numerator/denominator) from EIP-4844.</summary>
    public static UInt256 FakeExponential(UInt256 factor, UInt256 numerator, UInt256 denominator)
    {
        var i = UInt256.One;
        var output = UInt256.Zero;
        var accum = factor * denominator;
        while (!accum.IsZero)
        {
            output += accum;
            accum = accum * numerator / (denominator * i);
            i += UInt256.One;
        }
        return output / denominator;
    }
}

/// <summary>Per-transaction values the environment opcodes read.</summary>
public sealed record TxContext(Address Origin, UInt256 GasPrice, IReadOnlyList<Hash256> BlobVersionedHashes);
