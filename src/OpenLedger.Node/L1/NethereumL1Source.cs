using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using OpenLedger.Chain.Rollup;
using OpenLedger.Evm;
using OpenLedger.Primitives;

namespace OpenLedger.Node.L1;

/// <summary>
/// L1 blocks over JSON-RPC through Nethereum (any Ethereum endpoint; anvil in development). The blob base fee is
/// computed from the header's excess blob gas with the L1 fork's update fraction, as the spec asks (the RPC does not
/// expose a past block's blob fee); a block without blob fields gets 1 (MIN_BLOB_GASPRICE).
/// </summary>
public sealed class NethereumL1Source(string rpcUrl, ulong blobBaseFeeUpdateFraction = NethereumL1Source.PragueBlobBaseFeeUpdateFraction) : IL1BlockSource
{
    public const ulong CancunBlobBaseFeeUpdateFraction = 3_338_477;
    public const ulong PragueBlobBaseFeeUpdateFraction = 5_007_716;

    private readonly Nethereum.Web3.Web3 _web3 = new(rpcUrl);

    public string RpcUrl => rpcUrl;

    public async Task<L1BlockRef> GetHeadAsync(CancellationToken ct)
    {
        var block = await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest()).WaitAsync(ct)
            ?? throw new L1OriginException($"L1 at {rpcUrl} returned no latest block");
        return ToRef(block);
    }

    public async Task<L1BlockRef?> GetBlockAsync(ulong number, CancellationToken ct)
    {
        var block = await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new BlockParameter(new HexBigInteger(new BigInteger(number)))).WaitAsync(ct);
        return block is null ? null : ToRef(block);
    }

    private L1BlockRef ToRef(BlockWithTransactionHashes b)
    {
        var blobBaseFee = b.ExcessBlobGas is { } excess
            ? BlockContext.FakeExponential(UInt256.One, U256(excess.Value), new UInt256(blobBaseFeeUpdateFraction))
            : UInt256.One;
        return new L1BlockRef(
            checked((ulong)b.Number.Value),
            Hash256.Parse(b.BlockHash),
            Hash256.Parse(b.ParentHash),
            checked((ulong)b.Timestamp.Value),
            b.BaseFeePerGas is { } fee ? U256(fee.Value) : UInt256.Zero,
            blobBaseFee);
    }

    private static UInt256 U256(BigInteger v) => v.Sign < 0 ? throw new L1OriginException($"negative quantity {v} from L1") : UInt256.Parse(v.ToString());
}
