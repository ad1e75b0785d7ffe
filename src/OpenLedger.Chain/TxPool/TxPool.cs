using OpenLedger.Primitives.Forks;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Chain.TxPool;

/// <summary>
/// Per-sender nonce queues. A sender's transactions from its account nonce upward with no gap are
/// pending (executable); the rest are queued until the gap fills. One lock guards everything: the
/// sequencer and RPC threads touch the pool briefly and the lock keeps invariants simple.
/// </summary>
public sealed class TxPool
{
    private readonly object _lock = new();
    private readonly Dictionary<Address, SortedList<ulong, PooledTransaction>> _bySender = new();
    private readonly Dictionary<Hash256, PooledTransaction> _byHash = new();
    private readonly TxPoolOptions _options;
    private readonly ulong _chainId;
    // The fork of the next block: transactions are validated against the rules they would execute under.
    private ForkSpec _rules;
    private IPoolStateView _state;
    private UInt256 _baseFee;
    private ulong _blockGasLimit;

    /// <summary>Raised (outside the lock) for each transaction accepted, pending or queued.</summary>
    public event Action<PooledTransaction>? Added;

    public TxPool(TxPoolOptions options, ulong chainId, ForkSpec rules, IPoolStateView state, UInt256 baseFee, ulong blockGasLimit)
    {
        _options = options;
        _chainId = chainId;
        _rules = rules;
        _state = state;
        _baseFee = baseFee;
        _blockGasLimit = blockGasLimit;
    }

    public int Count
    {
        get { lock (_lock) return _byHash.Count; }
    }

    /// <summary>Decodes, validates and adds a raw signed transaction; throws <see cref="TxPoolException"/> with geth's message.</summary>
    public PooledTransaction AddRaw(ReadOnlySpan<byte> raw)
    {
        if (raw.Length > _options.MaxTxBytes) throw new TxPoolException(TxPoolException.Oversized);
        if (!TxDecoder.TryDecode(raw, out var tx, out var decodeError))
            throw new TxPoolException($"invalid transaction: {decodeError!.Message}");
        return Add(tx!, raw.ToArray());
    }

    public PooledTransaction Add(Transaction tx, byte[]? encoded = null)
    {
        encoded ??= tx.Encode();
        if (encoded.Length > _options.MaxTxBytes) throw new TxPoolException(TxPoolException.Oversized);
        // Before the signature check: both are cheap refusals geth makes over RPC too.
        if (tx.Type == TxType.Blob)
            throw new TxPoolException(TxPoolException.MissingBlobSidecar); // the pool takes no blob sidecars, so a type-3 tx could never be served
        if (tx.Type == TxType.Legacy && tx.ChainId is null && !_options.AllowUnprotected)
            throw new TxPoolException(TxPoolException.Unprotected);
        if (!TxValidator.IsValid(tx, Volatile.Read(ref _rules), _chainId, out var sender, out var invalid))
            throw new TxPoolException(MapInvalid(invalid!, tx));
        return Insert(new PooledTransaction(tx, sender, encoded));
    }

    /// <summary>
    /// Dev mode's impersonation (anvil_impersonateAccount): a transaction from <paramref name="sender"/> whose
    /// signature proves nothing. Every other rule applies; callers must never offer this outside a devnet.
    /// </summary>
    public PooledTransaction AddImpersonated(Transaction tx, Address sender)
    {
        var encoded = tx.Encode();
        if (encoded.Length > _options.MaxTxBytes) throw new TxPoolException(TxPoolException.Oversized);
        if (tx.ChainId is { } id && id != _chainId) throw new TxPoolException($"invalid chain id for signer: chain id {id}, expected {_chainId}");
        if (tx.HasDynamicFee && tx.MaxPriorityFeePerGas > tx.MaxFeePerGas) throw new TxPoolException(TxPoolException.TipAboveFeeCap);
        var rules = Volatile.Read(ref _rules);
        ulong intrinsic = Math.Max(IntrinsicGas.Compute(tx, rules), IntrinsicGas.Floor(tx, rules));
        if (tx.GasLimit < intrinsic) throw new TxPoolException($"{TxPoolException.IntrinsicGasTooLow}: gas {tx.GasLimit}, minimum needed {intrinsic}");
        if (rules.MaxTxGas is { } cap && tx.GasLimit > cap) throw new TxPoolException($"{TxPoolException.GasLimitTooHigh} (cap: {cap}, tx: {tx.GasLimit})");
        return Insert(new PooledTransaction(tx, sender, encoded));
    }

    private PooledTransaction Insert(PooledTransaction ptx)
    {
        var tx = ptx.Transaction;
        var sender = ptx.Sender;

        // Account reads happen before taking the lock (a trie walk on a new head), and are redone under the
        // lock only if a block landed in between.
        var state = Volatile.Read(ref _state);
        ulong accountNonce = state.GetNonce(sender);
        var balance = state.GetBalance(sender);
        var l1Fee = state.L1DataFee(ptx.Encoded);

        PooledTransaction? evicted = null;
        lock (_lock)
        {
            if (!ReferenceEquals(state, _state))
            {
                accountNonce = _state.GetNonce(sender);
                balance = _state.GetBalance(sender);
                l1Fee = _state.L1DataFee(ptx.Encoded);
            }
            if (_byHash.ContainsKey(ptx.Hash)) throw new TxPoolException(TxPoolException.AlreadyKnown);
            if (tx.GasLimit > _blockGasLimit) throw new TxPoolException(TxPoolException.GasLimitExceeded);
            if (tx.FeeCap < _baseFee) throw new TxPoolException($"{TxPoolException.FeeCapTooLow}: address {sender}, maxFeePerGas: {tx.FeeCap}, baseFee: {_baseFee}");
            if (ptx.TipCap < _options.MinTip) throw new TxPoolException(TxPoolException.Underpriced);

            if (tx.Nonce < accountNonce) throw new TxPoolException(TxPoolException.NonceTooLow(accountNonce, tx.Nonce).Message);
            if (tx.Nonce - accountNonce > _options.MaxNonceGap) throw new TxPoolException($"{TxPoolException.GapTooLarge}: next nonce {accountNonce}, tx nonce {tx.Nonce}");
            // op-geth: the worst-case cost includes the L1 data fee; the text says so when there is one.
            var cost = UInt256.AddOverflow(ptx.MaxCost, l1Fee, out var sum) ? UInt256.MaxValue : sum;
            if (balance < cost)
                throw new TxPoolException($"{TxPoolException.InsufficientFunds}: balance {balance.ToBigInteger()}, tx cost {cost.ToBigInteger()}, overshot {(cost - balance).ToBigInteger()}"
                    + (l1Fee.IsZero ? "" : $" (the tx cost includes an L1 data fee of {l1Fee.ToBigInteger()})"));

            if (!_bySender.TryGetValue(sender, out var queue))
                _bySender[sender] = queue = new SortedList<ulong, PooledTransaction>();

            if (queue.TryGetValue(tx.Nonce, out var existing))
            {
                if (!IsSufficientBump(existing, ptx)) throw new TxPoolException(TxPoolException.ReplacementUnderpriced);
                _byHash.Remove(existing.Hash);
                queue[tx.Nonce] = ptx;
                _byHash[ptx.Hash] = ptx;
            }
            else
            {
                if (queue.Count >= _options.MaxPerSender) throw new TxPoolException(TxPoolException.SenderQueueFull);
                if (_byHash.Count >= _options.MaxTransactions)
                {
                    evicted = FindEvictionCandidate(sender);
                    if (evicted is null || !PaysMore(ptx, evicted)) throw new TxPoolException(TxPoolException.PoolFull);
                    RemoveLocked(evicted);
                }
                queue.Add(tx.Nonce, ptx);
                _byHash[ptx.Hash] = ptx;
            }
        }
        Added?.Invoke(ptx);
        return ptx;
    }

    public PooledTransaction? Get(Hash256 hash)
    {
        lock (_lock) return _byHash.GetValueOrDefault(hash);
    }

    /// <summary>
    /// Executable transactions in the order a block should include them: highest effective tip first,
    /// each sender's nonces in order. Transactions whose fee cap is below the base fee are skipped.
    /// </summary>
    public List<PooledTransaction> SelectForBlock(UInt256 baseFee, int maxCount)
    {
        var result = new List<PooledTransaction>();
        lock (_lock)
        {
            // Heads of each sender's executable run, ordered by tip (ties: earliest received).
            var heads = new PriorityQueue<(Address Sender, int Index), (UInt256 NegTip, long Time)>(Comparer<(UInt256, long)>.Create((a, b) =>
            {
                int c = b.Item1.CompareTo(a.Item1);
                return c != 0 ? c : a.Item2.CompareTo(b.Item2);
            }));
            foreach (var (sender, queue) in _bySender)
            {
                if (queue.Count == 0 || queue.Keys[0] != _state.GetNonce(sender)) continue;
                var tip = queue.Values[0].EffectiveTip(baseFee);
                if (tip is { } t) heads.Enqueue((sender, 0), (t, queue.Values[0].ReceivedAt.Ticks));
            }
            while (result.Count < maxCount && heads.TryDequeue(out var head, out _))
            {
                var queue = _bySender[head.Sender];
                var ptx = queue.Values[head.Index];
                result.Add(ptx);
                int next = head.Index + 1;
                if (next < queue.Count && queue.Keys[next] == ptx.Nonce + 1 && queue.Values[next].EffectiveTip(baseFee) is { } t)
                    heads.Enqueue((head.Sender, next), (t, queue.Values[next].ReceivedAt.Ticks));
            }
        }
        return result;
    }

    /// <summary>After a block: new head state and fees; drops transactions whose nonce is now used.</summary>
    public void OnNewHead(IPoolStateView state, UInt256 baseFee, ulong blockGasLimit, ForkSpec? nextSpec = null)
    {
        lock (_lock)
        {
            if (nextSpec != null) Volatile.Write(ref _rules, nextSpec);
            Volatile.Write(ref _state, state);
            _baseFee = baseFee;
            _blockGasLimit = blockGasLimit;
            var emptied = new List<Address>();
            foreach (var (sender, queue) in _bySender)
            {
                ulong nonce = state.GetNonce(sender);
                while (queue.Count > 0 && queue.Keys[0] < nonce)
                {
                    _byHash.Remove(queue.Values[0].Hash);
                    queue.RemoveAt(0);
                }
                if (queue.Count == 0) emptied.Add(sender);
            }
            foreach (var s in emptied) _bySender.Remove(s);
        }
    }

    /// <summary>Removes one transaction (e.g. it failed validation at block building).</summary>
    public bool Remove(Hash256 hash)
    {
        lock (_lock)
        {
            if (!_byHash.TryGetValue(hash, out var ptx)) return false;
            RemoveLocked(ptx);
            return true;
        }
    }

    public (int Pending, int Queued) Status()
    {
        lock (_lock)
        {
            int pending = 0, queued = 0;
            foreach (var (sender, queue) in _bySender)
            {
                int run = PendingRun(sender, queue);
                pending += run;
                queued += queue.Count - run;
            }
            return (pending, queued);
        }
    }

    /// <summary>txpool_content: pending and queued transactions by sender and nonce.</summary>
    public (Dictionary<Address, List<PooledTransaction>> Pending, Dictionary<Address, List<PooledTransaction>> Queued) Content()
    {
        lock (_lock)
        {
            var pending = new Dictionary<Address, List<PooledTransaction>>();
            var queued = new Dictionary<Address, List<PooledTransaction>>();
            foreach (var (sender, queue) in _bySender)
            {
                int run = PendingRun(sender, queue);
                if (run > 0) pending[sender] = queue.Values.Take(run).ToList();
                if (queue.Count > run) queued[sender] = queue.Values.Skip(run).ToList();
            }
            return (pending, queued);
        }
    }

    /// <summary>The highest nonce among a sender's pending run plus one, or the account nonce: what "pending" block tag reads.</summary>
    public ulong PendingNonce(Address sender)
    {
        lock (_lock)
        {
            ulong nonce = _state.GetNonce(sender);
            if (!_bySender.TryGetValue(sender, out var queue)) return nonce;
            foreach (var n in queue.Keys)
            {
                if (n != nonce) break;
                nonce++;
            }
            return nonce;
        }
    }

    private int PendingRun(Address sender, SortedList<ulong, PooledTransaction> queue)
    {
        ulong expect = _state.GetNonce(sender);
        int run = 0;
        while (run < queue.Count && queue.Keys[run] == expect)
        {
            run++;
            expect++;
        }
        return run;
    }

    private bool IsSufficientBump(PooledTransaction old, PooledTransaction replacement)
    {
        // geth: both the fee cap and the tip must rise by at least PriceBump percent.
        var pct = new UInt256((ulong)(100 + _options.PriceBumpPercent));
        var hundred = new UInt256(100);
        return replacement.Transaction.FeeCap * hundred >= old.Transaction.FeeCap * pct
               && replacement.TipCap * hundred >= old.TipCap * pct;
    }

    /// <summary>The cheapest last-in-line transaction of any other sender: evicting a tail never creates a gap.</summary>
    private PooledTransaction? FindEvictionCandidate(Address incoming)
    {
        PooledTransaction? worst = null;
        foreach (var (sender, queue) in _bySender)
        {
            if (sender == incoming || queue.Count == 0) continue;
            var tail = queue.Values[^1];
            if (worst is null || tail.TipCap < worst.TipCap) worst = tail;
        }
        return worst;
    }

    private static bool PaysMore(PooledTransaction a, PooledTransaction b) => a.TipCap > b.TipCap;

    private void RemoveLocked(PooledTransaction ptx)
    {
        _byHash.Remove(ptx.Hash);
        if (_bySender.TryGetValue(ptx.Sender, out var queue))
        {
            queue.Remove(ptx.Nonce);
            if (queue.Count == 0) _bySender.Remove(ptx.Sender);
        }
    }

    private string MapInvalid(InvalidTransactionException e, Transaction tx) => e.Reason switch
    {
        TxInvalidReason.IntrinsicGasTooLow => $"{TxPoolException.IntrinsicGasTooLow}: gas {tx.GasLimit}, minimum needed {IntrinsicGas.Compute(tx, Volatile.Read(ref _rules))}",
        TxInvalidReason.PriorityFeeGreaterThanMaxFee => TxPoolException.TipAboveFeeCap,
        TxInvalidReason.InvalidChainId => $"invalid chain id for signer: {e.Message}",
        TxInvalidReason.InvalidSignature => $"{TxPoolException.InvalidSender}: {e.Message}",
        TxInvalidReason.NonceTooBig => TxPoolException.NonceMax,
        TxInvalidReason.GasLimitTooHigh => $"{TxPoolException.GasLimitTooHigh}: {e.Message}",
        TxInvalidReason.TypeNotSupported => $"{TxPoolException.TxTypeNotSupported}: {e.Message}",
        _ => e.Message,
    };
}
