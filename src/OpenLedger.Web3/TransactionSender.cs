using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Web3.Eth;
using OpenLedger.Web3.Rpc;

namespace OpenLedger.Web3;

/// <summary>
/// Sends EIP-1559 transactions from one key for a long-running service (batcher, proposer, settlement):
/// nonces are handed out under a lock so that concurrent sends get distinct, consecutive nonces and reach the node in order;
/// fees are 2 × latest base fee + eth_maxPriorityFeePerGas; a transaction not mined within <see cref="TransactionSenderOptions.ReplaceAfter"/>
/// is replaced at the same nonce with both fees bumped by at least 10% (geth's replacement rule);
/// after a restart the next nonce is re-derived from eth_getTransactionCount(address, "pending").
/// </summary>
public sealed class TransactionSender
{
    private readonly EthClient _eth;
    private readonly EthKey _key;
    private readonly SemaphoreSlim _nonceLock = new(1, 1);
    private ulong? _nextNonce;

    public TransactionSenderOptions Options { get; }
    /// <summary>Raised after a replacement (old, new) was accepted by the node, for logs and metrics.</summary>
    public event Action<Transaction, Transaction>? Replaced;
    public ulong ChainId { get; }
    public Address Address => _key.Address;

    public TransactionSender(EthClient eth, EthKey key, ulong chainId, TransactionSenderOptions? options = null)
    {
        _eth = eth;
        _key = key;
        ChainId = chainId;
        Options = options ?? new TransactionSenderOptions();
    }

    /// <summary>Forgets the cached nonce; the next send re-reads the pending nonce from the node.</summary>
    public async Task ResyncNonceAsync(CancellationToken ct = default)
    {
        await _nonceLock.WaitAsync(ct).ConfigureAwait(false);
        try { _nextNonce = await _eth.GetTransactionCountAsync(Address, BlockParameter.Pending, ct).ConfigureAwait(false); }
        finally { _nonceLock.Release(); }
    }

    /// <summary>maxFeePerGas = 2 × latest base fee + priority fee; priority fee from eth_maxPriorityFeePerGas (at least the configured floor).</summary>
    public async Task<(UInt256 MaxFeePerGas, UInt256 MaxPriorityFeePerGas)> EstimateFeesAsync(CancellationToken ct = default)
    {
        var block = await _eth.GetBlockByNumberAsync(BlockParameter.Latest, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException("node has no latest block");
        var baseFee = block.BaseFeePerGas ?? throw new InvalidOperationException("latest block has no base fee: the node is not on London or later");
        var tip = await _eth.MaxPriorityFeePerGasAsync(ct).ConfigureAwait(false);
        if (tip < Options.MinPriorityFee) tip = Options.MinPriorityFee;
        return (baseFee * new UInt256(2) + tip, tip);
    }

    /// <summary>Builds, signs and sends a transaction at the next nonce; returns it as sent (its Hash is the transaction hash).</summary>
    public async Task<Transaction> SendAsync(TxRequest request, CancellationToken ct = default)
    {
        var (maxFee, tip) = await EstimateFeesAsync(ct).ConfigureAwait(false);
        var gas = request.GasLimit ?? await EstimateGasAsync(request, ct).ConfigureAwait(false);
        // The lock spans reserve-sign-send so that transactions reach the node in nonce order and a failed send leaves no gap.
        await _nonceLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _nextNonce ??= await _eth.GetTransactionCountAsync(Address, BlockParameter.Pending, ct).ConfigureAwait(false);
            var tx = new Transaction
            {
                Type = TxType.DynamicFee,
                ChainId = ChainId,
                Nonce = _nextNonce.Value,
                MaxFeePerGas = maxFee,
                MaxPriorityFeePerGas = tip,
                GasLimit = gas,
                To = request.To,
                Value = request.Value,
                Data = request.Data,
                AccessList = request.AccessList,
            };
            tx.Sign(_key);
            try
            {
                await _eth.SendRawTransactionAsync(tx.Encode(), ct).ConfigureAwait(false);
            }
            catch (RpcException e) when (IsAlreadyKnown(e))
            {
                // A retried send whose first attempt reached the node: the transaction is in the pool, so the nonce is spent.
            }
            catch (RpcException)
            {
                // The node refused it (nonce too low after an outside send, underpriced...): re-read the nonce next time.
                _nextNonce = null;
                throw;
            }
            catch (Exception e) when (e is RpcTransportException or OperationCanceledException)
            {
                // Unknown whether the node took it: re-read the pending nonce rather than guess.
                _nextNonce = null;
                throw;
            }
            _nextNonce++;
            return tx;
        }
        finally { _nonceLock.Release(); }
    }

    /// <summary>Sends and waits for the receipt with the configured confirmations, replacing the transaction with bumped fees while it is not mined.</summary>
    public async Task<Receipt> SendAndWaitAsync(TxRequest request, CancellationToken ct = default) =>
        await WaitAsync(await SendAsync(request, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    /// <summary>
    /// Waits for <paramref name="sent"/> (or a replacement of it) to be mined with the configured confirmations.
    /// Every <see cref="TransactionSenderOptions.ReplaceAfter"/> without a receipt, re-signs the same nonce with both fees bumped by at least 10%.
    /// </summary>
    public async Task<Receipt> WaitAsync(Transaction sent, CancellationToken ct = default)
    {
        var candidates = new List<Hash256> { sent.Hash };
        var current = sent;
        var replacements = 0;
        var deadline = DateTime.UtcNow + Options.ReplaceAfter;
        while (true)
        {
            foreach (var hash in candidates)
            {
                var receipt = await _eth.GetTransactionReceiptAsync(hash, ct).ConfigureAwait(false);
                if (receipt != null) return await ConfirmAsync(receipt, ct).ConfigureAwait(false);
            }
            if (DateTime.UtcNow >= deadline && replacements < Options.MaxReplacements)
            {
                var replacement = await ReplaceAsync(current, ct).ConfigureAwait(false);
                if (replacement != null)
                {
                    current = replacement;
                    candidates.Add(replacement.Hash);
                    replacements++;
                }
                deadline = DateTime.UtcNow + Options.ReplaceAfter;
                continue;
            }
            await Task.Delay(Options.PollInterval, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Fee a replacement must at least pay: old × 1.1, rounded up (geth rejects anything lower).</summary>
    public static UInt256 Bump(in UInt256 fee)
    {
        var tenth = fee / new UInt256(10);
        var bumped = fee + tenth;
        if (!(fee % new UInt256(10)).IsZero) bumped += UInt256.One;
        return bumped == fee ? fee + UInt256.One : bumped;
    }

    private async Task<Transaction?> ReplaceAsync(Transaction old, CancellationToken ct)
    {
        var (maxFee, tip) = await EstimateFeesAsync(ct).ConfigureAwait(false);
        var bumpedTip = UInt256.Max(Bump(old.MaxPriorityFeePerGas), tip);
        var bumpedMax = UInt256.Max(Bump(old.MaxFeePerGas), maxFee);
        if (bumpedMax < bumpedTip) bumpedMax = bumpedTip;
        var tx = new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = old.ChainId,
            Nonce = old.Nonce,
            MaxFeePerGas = bumpedMax,
            MaxPriorityFeePerGas = bumpedTip,
            GasLimit = old.GasLimit,
            To = old.To,
            Value = old.Value,
            Data = old.Data,
            AccessList = old.AccessList,
        };
        tx.Sign(_key);
        try
        {
            await _eth.SendRawTransactionAsync(tx.Encode(), ct).ConfigureAwait(false);
            Replaced?.Invoke(old, tx);
            return tx;
        }
        catch (RpcException)
        {
            // Typically "nonce too low": the original was mined meanwhile; the next poll finds its receipt.
            return null;
        }
    }

    private async Task<Receipt> ConfirmAsync(Receipt receipt, CancellationToken ct)
    {
        if (Options.Confirmations <= 1) return receipt;
        var target = receipt.BlockNumber + (ulong)Options.Confirmations - 1;
        while (true)
        {
            var head = await _eth.BlockNumberAsync(ct).ConfigureAwait(false);
            if (head >= target)
            {
                // Re-read: a reorg may have moved or dropped it while we waited.
                var again = await _eth.GetTransactionReceiptAsync(receipt.TransactionHash, ct).ConfigureAwait(false);
                if (again != null && again.BlockHash == receipt.BlockHash) return again;
                if (again == null) throw new InvalidOperationException($"transaction {receipt.TransactionHash} was dropped by a reorg while awaiting confirmations");
                receipt = again;
                target = receipt.BlockNumber + (ulong)Options.Confirmations - 1;
                continue;
            }
            await Task.Delay(Options.PollInterval, ct).ConfigureAwait(false);
        }
    }

    private static bool IsAlreadyKnown(RpcException e) =>
        e.RpcMessage.Contains("already known", StringComparison.OrdinalIgnoreCase)
        || e.RpcMessage.Contains("already imported", StringComparison.OrdinalIgnoreCase)
        || e.RpcMessage.Contains("known transaction", StringComparison.OrdinalIgnoreCase);

    private async Task<ulong> EstimateGasAsync(TxRequest request, CancellationToken ct)
    {
        var estimate = await _eth.EstimateGasAsync(new CallRequest { From = Address, To = request.To, Data = request.Data, Value = request.Value }, ct: ct)
            .ConfigureAwait(false);
        return estimate + estimate * (ulong)Options.GasLimitMarginPercent / 100;
    }
}
