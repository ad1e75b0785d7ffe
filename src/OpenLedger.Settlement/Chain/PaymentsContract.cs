using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Settlement.Authorization;

namespace OpenLedger.Settlement.Chain;

/// <summary>One item of <c>InferencePayments.settle</c>.</summary>
public sealed record ChargeItem(InferenceAuthorization Authorization, byte[] Signature, UInt256 Fee, Hash256 RecordHash);

/// <summary>A <c>Charged</c> event: a fee moved to AttributionRewards for <see cref="Epoch"/>, committing a record hash.</summary>
public sealed record ChargedEvent(ulong Epoch, Address User, ulong ModelId, UInt256 Nonce, UInt256 Fee, Hash256 RecordHash, ulong BlockNumber, Hash256 TransactionHash);

/// <summary>Why the contract skipped a charge (<c>InferencePayments.Rejection</c>).</summary>
public enum ChargeRejection : byte { BadSignature, NonceSpent, FeeAboveMax, Expired, InsufficientBalance, ZeroRecordHash }

/// <summary>Typed access to contracts/src/l2/InferencePayments.sol.</summary>
public sealed class PaymentsContract(ChainClient chain, Address address)
{
    private const string AuthTuple = "(address,uint256,uint256,uint256,uint64)";
    private static readonly AbiFunction BalanceOf = AbiFunction.FromSignature("balanceOf(address)", "(uint256)");
    private static readonly AbiFunction ChargedRecordFn = AbiFunction.FromSignature("chargedRecord(address,uint256)", "(bytes32)");
    private static readonly AbiFunction PendingWithdrawalFn = AbiFunction.FromSignature("pendingWithdrawal(address)", "((uint128,uint64))");
    private static readonly AbiFunction CurrentEpochFn = AbiFunction.FromSignature("currentEpoch()", "(uint256)");
    private static readonly AbiFunction EpochEndFn = AbiFunction.FromSignature("epochEnd(uint256)", "(uint256)");
    private static readonly AbiFunction RewardsFn = AbiFunction.FromSignature("rewards()", "(address)");
    private static readonly AbiFunction DigestFn = AbiFunction.FromSignature($"authorizationDigest({AuthTuple})", "(bytes32)");
    public static readonly AbiFunction Settle = AbiFunction.FromSignature($"settle(({AuthTuple},bytes,uint256,bytes32)[])", "(uint256)");
    public static readonly AbiFunction Deposit = AbiFunction.FromSignature("deposit()");
    public static readonly AbiEvent Charged = new("Charged", [
        new AbiParameter("epoch", AbiType.Parse("uint256"), true), new AbiParameter("user", AbiType.Parse("address"), true),
        new AbiParameter("modelId", AbiType.Parse("uint256"), true), new AbiParameter("nonce", AbiType.Parse("uint256")),
        new AbiParameter("fee", AbiType.Parse("uint256")), new AbiParameter("recordHash", AbiType.Parse("bytes32"))]);
    public static readonly AbiEvent ChargeRejected = new("ChargeRejected", [
        new AbiParameter("user", AbiType.Parse("address"), true), new AbiParameter("nonce", AbiType.Parse("uint256"), true),
        new AbiParameter("reason", AbiType.Parse("uint8"))]);

    public Address Address { get; } = address;
    public ChainClient Chain { get; } = chain;

    public async Task<UInt256> BalanceOfAsync(Address user) => (UInt256)(await Chain.CallAsync(Address, BalanceOf, user))[0]!;

    /// <summary>The record hash charged under (user, nonce), or zero while the nonce is unspent.</summary>
    public async Task<Hash256> ChargedRecordAsync(Address user, UInt256 nonce) => AsHash((await Chain.CallAsync(Address, ChargedRecordFn, user, nonce))[0]);

    public async Task<(UInt256 Amount, ulong ReadyAt)> PendingWithdrawalAsync(Address user)
    {
        var t = (object?[])(await Chain.CallAsync(Address, PendingWithdrawalFn, user))[0]!;
        return ((UInt256)t[0]!, ((UInt256)t[1]!).u0);
    }

    public async Task<ulong> CurrentEpochAsync() => ((UInt256)(await Chain.CallAsync(Address, CurrentEpochFn))[0]!).u0;

    /// <summary>First second after <paramref name="epoch"/>: once the chain's time reaches it, the epoch takes no more charges.</summary>
    public async Task<ulong> EpochEndAsync(ulong epoch) => ((UInt256)(await Chain.CallAsync(Address, EpochEndFn, new UInt256(epoch)))[0]!).u0;

    public async Task<Address> RewardsAsync() => (Address)(await Chain.CallAsync(Address, RewardsFn))[0]!;

    /// <summary>The contract's own digest of an authorization (tests compare it with <see cref="InferenceAuthorization.Digest"/>).</summary>
    public async Task<Hash256> DigestAsync(InferenceAuthorization a) => AsHash((await Chain.CallAsync(Address, DigestFn, (object?)AuthValue(a)))[0]);

    public static byte[] EncodeSettle(IReadOnlyList<ChargeItem> items) =>
        Settle.EncodeCall([items.Select(i => (object?)new object?[] { AuthValue(i.Authorization), i.Signature, i.Fee, i.RecordHash }).ToList()]);

    /// <summary>Charged events of <paramref name="epoch"/> between two blocks, oldest first.</summary>
    public async Task<IReadOnlyList<ChargedEvent>> ChargedAsync(ulong epoch, ulong fromBlock, ulong toBlock)
    {
        var logs = await Chain.LogsAsync(Address, [Charged.Topic0, Word(new UInt256(epoch))], fromBlock, toBlock);
        return logs.Select(DecodeCharged).ToArray();
    }

    public static ChargedEvent DecodeCharged(ChainLog l)
    {
        var e = Charged.Decode(l.Topics, l.Data);
        return new ChargedEvent(((UInt256)e["epoch"]!).u0, (Address)e["user"]!, ((UInt256)e["modelId"]!).u0, (UInt256)e["nonce"]!,
            (UInt256)e["fee"]!, AsHash(e["recordHash"]), l.BlockNumber, l.TransactionHash);
    }

    private static object?[] AuthValue(InferenceAuthorization a) =>
        [a.User, new UInt256(a.ModelId), a.MaxFee, a.Nonce, new UInt256(a.Expiry)];

    /// <summary>A uint256 as the 32-byte word an indexed topic holds.</summary>
    internal static Hash256 Word(UInt256 v)
    {
        var b = new byte[32];
        v.WriteBigEndian(b);
        return new Hash256(b);
    }

    internal static Hash256 AsHash(object? v) => v switch
    {
        Hash256 h => h,
        byte[] b when b.Length == 32 => new Hash256(b),
        _ => throw new FormatException($"expected a bytes32, got {v?.GetType().Name ?? "null"}"),
    };
}
