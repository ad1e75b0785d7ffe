using OpenLedger.Primitives.Crypto;

namespace OpenLedger.Primitives.Transactions;

/// <summary>
/// An Ethereum transaction of any type. Fields a type does not have are ignored when encoding
/// (e.g. <see cref="GasPrice"/> for <see cref="TxType.DynamicFee"/>). Encoding, hashing and signing live in
/// partial files beside this one; decoding in <see cref="TxDecoder"/>; fork validity in <see cref="TxValidator"/>.
/// </summary>
public sealed partial class Transaction
{
    public TxType Type { get; set; }

    /// <summary>
    /// Typed transactions: the chain id field. Legacy: the EIP-155 chain id (derived from V when decoded;
    /// set it before signing to get replay protection), or null for a pre-EIP-155 transaction.
    /// </summary>
    public ulong? ChainId { get; set; }

    public ulong Nonce { get; set; }

    /// <summary>Legacy and access-list transactions.</summary>
    public UInt256 GasPrice { get; set; }

    /// <summary>EIP-1559 and later types.</summary>
    public UInt256 MaxPriorityFeePerGas { get; set; }

    /// <summary>EIP-1559 and later types.</summary>
    public UInt256 MaxFeePerGas { get; set; }

    public ulong GasLimit { get; set; }

    /// <summary>Recipient; null creates a contract (not allowed for blob and set-code transactions).</summary>
    public Address? To { get; set; }

    public UInt256 Value { get; set; }

    public byte[] Data { get; set; } = [];

    public IReadOnlyList<AccessListItem> AccessList { get; set; } = [];

    /// <summary>EIP-4844 only.</summary>
    public UInt256 MaxFeePerBlobGas { get; set; }

    /// <summary>EIP-4844 only.</summary>
    public IReadOnlyList<Hash256> BlobVersionedHashes { get; set; } = [];

    /// <summary>EIP-7702 only.</summary>
    public IReadOnlyList<AuthorizationTuple> AuthorizationList { get; set; } = [];

    /// <summary>As encoded: legacy 27/28 or chainId·2+35/36; typed transactions' y parity 0/1.</summary>
    public UInt256 V { get; set; }

    public UInt256 R { get; set; }
    public UInt256 S { get; set; }

    public bool IsContractCreation => To is null;

    /// <summary>Whether the type has the EIP-2930 access list (every type but legacy).</summary>
    public bool HasAccessList => Type is not (TxType.Legacy or TxType.Deposit);

    /// <summary>Whether fees are the EIP-1559 pair rather than a single gas price.</summary>
    public bool HasDynamicFee => Type is TxType.DynamicFee or TxType.Blob or TxType.SetCode;

    /// <summary>The transaction hash: keccak256 of the canonical encoding. Computed on each call.</summary>
    public Hash256 Hash => Keccak256.Compute(Encode());

    /// <summary>Fee cap per gas: gas price for legacy/access-list types, max fee otherwise.</summary>
    public UInt256 FeeCap => HasDynamicFee ? MaxFeePerGas : GasPrice;

    /// <summary>The hash the sender signs (EIP-155 for legacy with a chain id; type byte || RLP for typed).</summary>
    public Hash256 SigningHash() => Keccak256.Compute(EncodeForSigning(ChainId));

    /// <summary>Signs with the key, setting V, R and S (V per type and, for legacy, per <see cref="ChainId"/>).</summary>
    public void Sign(EthKey key) => ApplySignature(key.Sign(SigningHash()));

    public void Sign(ReadOnlySpan<byte> privateKey32) => ApplySignature(Secp256k1.Sign(SigningHash().Bytes, privateKey32));

    private void ApplySignature(in Signature sig)
    {
        if (sig.RecoveryId > 1) throw new InvalidOperationException("recovery id above 1 cannot be encoded in a transaction");
        if (Type == TxType.Legacy)
            V = ChainId is { } id ? new UInt256(id) * new UInt256(2) + new UInt256(35UL + sig.RecoveryId) : new UInt256(27UL + sig.RecoveryId);
        else
            V = new UInt256(sig.RecoveryId);
        R = sig.R;
        S = sig.S;
    }

    /// <summary>
    /// The sender, enforcing the signature rules that do not depend on the fork: r, s in [1, n-1], s &lt;= n/2
    /// (EIP-2, unless <paramref name="allowHighS"/> for Frontier), V 27/28 or EIP-155 for legacy, 0/1 for typed.
    /// Chain id checks are <see cref="TxValidator"/>'s.
    /// </summary>
    public bool TryRecoverSender(out Address sender, bool allowHighS = false)
    {
        sender = default;
        if (Type == TxType.Deposit)
        {
            // Deposits carry no signature: the sender is the explicit `from` that derivation attested from L1.
            sender = DepositFrom;
            return true;
        }
        if (!TryGetRecoveryId(out var recid, out var signingChainId)) return false;
        if (R.IsZero || S.IsZero || R >= Secp256k1.N || S >= Secp256k1.N) return false;
        if (!allowHighS && S > Secp256k1.HalfN) return false;
        var hash = Keccak256.Compute(EncodeForSigning(signingChainId));
        return Secp256k1.TryRecoverAddress(hash.Bytes, R, S, recid, out sender);
    }

    /// <summary>Like <see cref="TryRecoverSender"/>, throwing <see cref="InvalidTransactionException"/> on failure.</summary>
    public Address RecoverSender() =>
        TryRecoverSender(out var sender)
            ? sender
            : throw new InvalidTransactionException(TxInvalidReason.InvalidSignature, "invalid transaction signature (v, r, s)");

    /// <summary>Recovery id from V and the chain id the signing hash commits to (legacy: from V; typed: the field).</summary>
    internal bool TryGetRecoveryId(out int recoveryId, out ulong? signingChainId)
    {
        recoveryId = 0;
        signingChainId = null;
        if (Type != TxType.Legacy)
        {
            signingChainId = ChainId;
            if (V > UInt256.One) return false;
            recoveryId = (int)V.u0;
            return true;
        }
        var v = V;
        if (v == new UInt256(27) || v == new UInt256(28))
        {
            recoveryId = (int)v.u0 - 27;
            return true;
        }
        if (!TryLegacyChainId(v, out var id, out recoveryId)) return false;
        signingChainId = id;
        return true;
    }

    /// <summary>EIP-155: V = chainId·2 + 35 + recid. False for V below 35 or a chain id beyond 64 bits.</summary>
    public static bool TryLegacyChainId(in UInt256 v, out ulong chainId, out int recoveryId)
    {
        chainId = 0;
        recoveryId = 0;
        if (v < new UInt256(35)) return false;
        var rest = v - new UInt256(35);
        if (!(rest >> 1).IsUlong) return false;
        chainId = (rest >> 1).u0;
        recoveryId = (int)(rest.u0 & 1);
        return true;
    }

    public override string ToString() => $"{Type} tx nonce {Nonce} to {(To?.ToString() ?? "(create)")}";
}
