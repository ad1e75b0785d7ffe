using OpenLedger.Attribution.Epochs;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Settlement.Chain;

/// <summary>One epoch's accounting as <c>AttributionRewards.getEpoch</c> returns it.</summary>
public sealed record RewardsEpoch(UInt256 Fees, UInt256 Distributable, UInt256 Total, UInt256 Claimed, Hash256 Root, ulong PostedAt, ulong ClaimableAt, bool ProtocolReleased)
{
    public bool Posted => PostedAt != 0;
}

/// <summary>Typed access to contracts/src/l2/AttributionRewards.sol.</summary>
public sealed class RewardsContract(ChainClient chain, Address address)
{
    private static readonly AbiFunction SplitFn = AbiFunction.FromSignature("split()", "(uint16,uint16,uint16,uint16)");
    private static readonly AbiFunction GetEpochFn = AbiFunction.FromSignature("getEpoch(uint256)", "((uint128,uint128,uint128,uint128,bytes32,uint64,uint64,bool))");
    private static readonly AbiFunction IsClaimedFn = AbiFunction.FromSignature("isClaimed(uint256,address)", "(bool)");
    private static readonly AbiFunction TreasuryFn = AbiFunction.FromSignature("treasury()", "(address)");
    public static readonly AbiFunction PostRoot = AbiFunction.FromSignature("postRoot(uint256,bytes32,uint128)");
    public static readonly AbiFunction Claim = AbiFunction.FromSignature("claim(uint256,address,uint256,bytes32[])");

    public Address Address { get; } = address;
    public ChainClient Chain { get; } = chain;

    /// <summary>The fee split the contract enforces (its protocol share decides postRoot's distributable total).</summary>
    public async Task<GovernanceSplit> SplitAsync()
    {
        var r = await Chain.CallAsync(Address, SplitFn);
        int At(int i) => (int)((UInt256)r[i]!).u0;
        return new GovernanceSplit(At(0), At(1), At(2), At(3));
    }

    public async Task<RewardsEpoch> GetEpochAsync(ulong epoch)
    {
        var t = (object?[])(await Chain.CallAsync(Address, GetEpochFn, new UInt256(epoch)))[0]!;
        return new RewardsEpoch((UInt256)t[0]!, (UInt256)t[1]!, (UInt256)t[2]!, (UInt256)t[3]!, PaymentsContract.AsHash(t[4]),
            ((UInt256)t[5]!).u0, ((UInt256)t[6]!).u0, (bool)t[7]!);
    }

    public async Task<bool> IsClaimedAsync(ulong epoch, Address account) => (bool)(await Chain.CallAsync(Address, IsClaimedFn, new UInt256(epoch), account))[0]!;

    public async Task<Address> TreasuryAsync() => (Address)(await Chain.CallAsync(Address, TreasuryFn))[0]!;
}
