using System.Text.Json.Nodes;
using OpenLedger.Chain.Blocks;
using OpenLedger.Chain.Receipts;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rpc.JsonRpc;
using OpenLedger.State.World;

namespace OpenLedger.Rpc.Eth;

/// <summary>The JSON shapes of blocks, transactions, receipts and logs, field for field as geth returns them.</summary>
public static class RpcFormat
{
    public static string Q(ulong v) => RpcHex.Quantity(v);
    public static string Q(UInt256 v) => v.ToHexString();
    public static string D(ReadOnlySpan<byte> b) => RpcHex.Data(b);
    public static string A(Address a) => a.ToLowerHex();

    public static JsonObject Block(Block block, bool fullTransactions, IReadOnlyList<Address>? senders = null, IReadOnlyList<Receipt>? receipts = null)
    {
        var h = block.Header;
        var blockHash = h.Hash;
        var txs = new JsonArray();
        for (int i = 0; i < block.Transactions.Count; i++)
        {
            if (fullTransactions)
                txs.Add(Transaction(block.Transactions[i], block.TransactionHashes[i], senders?[i] ?? block.Transactions[i].RecoverSender(), h, i, blockHash, receipts?[i]));
            else
                txs.Add(block.TransactionHashes[i].ToString());
        }
        var o = Header(h);
        o["size"] = Q((ulong)(h.Encode().Length + block.Transactions.Sum(t => t.Encode().Length) + 8));
        o["transactions"] = txs;
        o["uncles"] = new JsonArray();
        o["withdrawals"] = new JsonArray();
        return o;
    }

    public static JsonObject Header(BlockHeader h) => new JsonObject()
    {
        ["number"] = Q(h.Number),
        ["hash"] = h.Hash.ToString(),
        ["parentHash"] = h.ParentHash.ToString(),
        ["sha3Uncles"] = h.OmmersHash.ToString(),
        ["miner"] = A(h.Coinbase),
        ["stateRoot"] = h.StateRoot.ToString(),
        ["transactionsRoot"] = h.TransactionsRoot.ToString(),
        ["receiptsRoot"] = h.ReceiptsRoot.ToString(),
        ["logsBloom"] = D(h.LogsBloom),
        ["difficulty"] = Q(h.Difficulty),
        ["totalDifficulty"] = "0x0",
        ["gasLimit"] = Q(h.GasLimit),
        ["gasUsed"] = Q(h.GasUsed),
        ["timestamp"] = Q(h.Timestamp),
        ["extraData"] = D(h.ExtraData),
        ["mixHash"] = h.MixHash.ToString(),
        ["nonce"] = "0x" + h.Nonce.ToString("x16"),
        ["baseFeePerGas"] = Q(h.BaseFeePerGas),
        ["withdrawalsRoot"] = h.WithdrawalsRoot.ToString(),
        ["blobGasUsed"] = Q(h.BlobGasUsed),
        ["excessBlobGas"] = Q(h.ExcessBlobGas),
        ["parentBeaconBlockRoot"] = h.ParentBeaconBlockRoot.ToString(),
    }.WithRequestsHash(h);

    /// <summary>Prague headers carry requestsHash (EIP-7685); older ones do not show the field.</summary>
    private static JsonObject WithRequestsHash(this JsonObject o, BlockHeader h)
    {
        if (h.RequestsHash is { } r) o["requestsHash"] = r.ToString();
        return o;
    }

    // Header hashes are not cached (see BlockHeader.Hash), so callers formatting many items of one block pass
    // the block's hash in rather than re-hashing the header per transaction, receipt and log.

    /// <summary>A transaction object; <paramref name="header"/> null for a pending transaction.</summary>
    public static JsonObject Transaction(Transaction tx, Hash256 hash, Address from, BlockHeader? header, int index, Hash256? blockHash = null, Receipt? receipt = null)
    {
        if (tx.IsDeposit) return DepositTransaction(tx, hash, header, index, blockHash, receipt);
        var o = new JsonObject
        {
            ["blockHash"] = header is null ? null : (blockHash ?? header.Hash).ToString(),
            ["blockNumber"] = header is null ? null : Q(header.Number),
            ["blockTimestamp"] = header is null ? null : Q(header.Timestamp),
            ["transactionIndex"] = header is null ? null : Q((ulong)index),
            ["hash"] = hash.ToString(),
            ["type"] = Q((ulong)tx.Type),
            ["from"] = A(from),
            ["to"] = tx.To is { } to ? A(to) : null,
            ["nonce"] = Q(tx.Nonce),
            ["gas"] = Q(tx.GasLimit),
            ["value"] = Q(tx.Value),
            ["input"] = D(tx.Data),
            ["v"] = Q(tx.V),
            ["r"] = Q(tx.R),
            ["s"] = Q(tx.S),
        };
        if (tx.ChainId is { } chainId) o["chainId"] = Q(chainId);
        if (tx.HasDynamicFee)
        {
            o["maxFeePerGas"] = Q(tx.MaxFeePerGas);
            o["maxPriorityFeePerGas"] = Q(tx.MaxPriorityFeePerGas);
            // geth reports the effective price once mined, the fee cap while pending.
            o["gasPrice"] = Q(header is null ? tx.MaxFeePerGas : Chain.Execution.BlockProducer.EffectiveGasPrice(tx, header.BaseFeePerGas));
        }
        else
        {
            o["gasPrice"] = Q(tx.GasPrice);
        }
        if (tx.Type != TxType.Legacy)
        {
            o["accessList"] = AccessList(tx.AccessList);
            o["yParity"] = Q(tx.V);
        }
        if (tx.Type == TxType.Blob)
        {
            o["maxFeePerBlobGas"] = Q(tx.MaxFeePerBlobGas);
            o["blobVersionedHashes"] = new JsonArray(tx.BlobVersionedHashes.Select(h => (JsonNode)h.ToString()).ToArray());
        }
        if (tx.Type == TxType.SetCode) o["authorizationList"] = AuthorizationList(tx.AuthorizationList);
        return o;
    }

    /// <summary>EIP-7702 authorizations as geth writes them.</summary>
    public static JsonArray AuthorizationList(IReadOnlyList<AuthorizationTuple> list) =>
        new(list.Select(a => (JsonNode)new JsonObject
        {
            ["chainId"] = Q(a.ChainId),
            ["address"] = A(a.Address),
            ["nonce"] = Q(a.Nonce),
            ["yParity"] = Q((ulong)a.YParity),
            ["r"] = Q(a.R),
            ["s"] = Q(a.S),
        }).ToArray());

    /// <summary>
    /// A deposit as op-geth shows it: zero fee and signature fields, no chain id, the nonce from the receipt's depositNonce,
    /// plus sourceHash, mint, isSystemTx (only when true) and depositReceiptVersion.
    /// </summary>
    private static JsonObject DepositTransaction(Transaction tx, Hash256 hash, BlockHeader? header, int index, Hash256? blockHash, Receipt? receipt)
    {
        var o = new JsonObject
        {
            ["blockHash"] = header is null ? null : (blockHash ?? header.Hash).ToString(),
            ["blockNumber"] = header is null ? null : Q(header.Number),
            ["transactionIndex"] = header is null ? null : Q((ulong)index),
            ["hash"] = hash.ToString(),
            ["type"] = Q((ulong)tx.Type),
            ["from"] = A(tx.DepositFrom),
            ["to"] = tx.To is { } to ? A(to) : null,
            ["nonce"] = Q(receipt?.DepositNonce ?? 0),
            ["gas"] = Q(tx.GasLimit),
            ["gasPrice"] = "0x0",
            ["value"] = Q(tx.Value),
            ["input"] = D(tx.Data),
            ["v"] = "0x0",
            ["r"] = "0x0",
            ["s"] = "0x0",
            ["sourceHash"] = tx.SourceHash.ToString(),
            ["mint"] = Q(tx.Mint),
        };
        if (tx.IsSystemTx) o["isSystemTx"] = true;
        if (receipt?.DepositReceiptVersion is { } version) o["depositReceiptVersion"] = Q(version);
        return o;
    }

    public static JsonArray AccessList(IReadOnlyList<AccessListItem> list) =>
        new(list.Select(item => (JsonNode)new JsonObject
        {
            ["address"] = A(item.Address),
            ["storageKeys"] = new JsonArray(item.StorageKeys.Select(k => (JsonNode)k.ToString()).ToArray()),
        }).ToArray());

    /// <param name="l1Fee">A rollup's non-deposit transaction: its L1 data fee, shown as op-geth shows it (l1GasPrice, l1GasUsed,
    /// l1Fee, l1BlobBaseFee, l1BaseFeeScalar, l1BlobBaseFeeScalar) plus gasTokenPerEth, the rate l1Fee was converted to OPEN at.</param>
    public static JsonObject Receipt(Receipt r, Transaction tx, Hash256 txHash, Address from, BlockHeader header, int index, int firstLogIndex, Hash256? blockHash = null,
        Chain.Rollup.Fees.L1FeeResult? l1Fee = null)
    {
        var bh = blockHash ?? header.Hash;
        var o = new JsonObject
        {
            ["transactionHash"] = txHash.ToString(),
            ["transactionIndex"] = Q((ulong)index),
            ["blockHash"] = bh.ToString(),
            ["blockNumber"] = Q(header.Number),
            ["blockTimestamp"] = Q(header.Timestamp),
            ["from"] = A(from),
            ["to"] = tx.To is { } to ? A(to) : null,
            ["cumulativeGasUsed"] = Q(r.CumulativeGasUsed),
            ["gasUsed"] = Q(r.GasUsed),
            ["effectiveGasPrice"] = Q(r.EffectiveGasPrice),
            ["contractAddress"] = r.ContractAddress is { } c ? A(c) : null,
            ["logs"] = Logs(r.Logs, header, txHash, index, firstLogIndex, bh),
            ["logsBloom"] = D(r.Bloom.Bytes),
            ["type"] = Q((ulong)r.Type),
            ["status"] = r.Success ? "0x1" : "0x0",
        };
        if (l1Fee is { } fee && !tx.IsDeposit)
        {
            o["l1GasPrice"] = Q(fee.Params.L1BaseFee);
            o["l1GasUsed"] = Q(fee.L1GasUsed);
            o["l1Fee"] = Q(fee.Fee);
            o["l1BlobBaseFee"] = Q(fee.Params.L1BlobBaseFee);
            o["l1BaseFeeScalar"] = Q((ulong)fee.Params.BaseFeeScalar);
            o["l1BlobBaseFeeScalar"] = Q((ulong)fee.Params.BlobBaseFeeScalar);
            o["gasTokenPerEth"] = Q(fee.Params.GasTokenPerEth);
        }
        if (r.DepositNonce is { } depositNonce)
        {
            o["depositNonce"] = Q(depositNonce);
            o["depositReceiptVersion"] = Q(r.DepositReceiptVersion ?? 1);
        }
        if (r.Type == TxType.Blob)
        {
            o["blobGasUsed"] = Q(r.BlobGasUsed);
            o["blobGasPrice"] = Q(r.BlobGasPrice);
        }
        return o;
    }

    public static JsonArray Logs(IReadOnlyList<LogEntry> logs, BlockHeader header, Hash256 txHash, int txIndex, int firstLogIndex, Hash256? blockHash = null)
    {
        var arr = new JsonArray();
        var bh = blockHash ?? header.Hash;
        for (int i = 0; i < logs.Count; i++) arr.Add(Log(logs[i], header, txHash, txIndex, firstLogIndex + i, removed: false, bh));
        return arr;
    }

    public static JsonArray Topics(LogEntry log) => new(log.Topics.Select(t => (JsonNode)t.ToString()).ToArray());

    public static JsonObject Log(LogEntry log, BlockHeader header, Hash256 txHash, int txIndex, int logIndex, bool removed, Hash256? blockHash = null) => new()
    {
        ["address"] = A(log.Address),
        ["topics"] = Topics(log),
        ["data"] = D(log.Data),
        ["blockNumber"] = Q(header.Number),
        ["blockHash"] = (blockHash ?? header.Hash).ToString(),
        ["blockTimestamp"] = Q(header.Timestamp),
        ["transactionHash"] = txHash.ToString(),
        ["transactionIndex"] = Q((ulong)txIndex),
        ["logIndex"] = Q((ulong)logIndex),
        ["removed"] = removed,
    };
}
