using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Settlement.Chain;

/// <summary>Who is paid: model owners from ModelRegistry, contributors from DatanetRegistry (contracts/src/l2).</summary>
public sealed class RegistryReads(ChainClient chain, Address modelRegistry, Address datanetRegistry)
{
    private static readonly AbiFunction GetModel = AbiFunction.FromSignature("getModel(uint256)", "((address,uint8,bool,uint64,uint128,string,string))");
    private static readonly AbiFunction GetContribution = AbiFunction.FromSignature("getContribution(uint256)", "((uint256,address,uint64,uint64,uint8,bytes32))");

    /// <summary>The model's owner and price per 1k tokens; throws for an unknown model (the registry reverts).</summary>
    public async Task<(Address Owner, bool Active, UInt256 PricePer1kTokens)> ModelAsync(ulong modelId)
    {
        var t = (object?[])(await chain.CallAsync(modelRegistry, GetModel, new UInt256(modelId)))[0]!;
        return ((Address)t[0]!, (bool)t[2]!, (UInt256)t[4]!);
    }

    /// <summary>The address that contributed <paramref name="contributionId"/>.</summary>
    public async Task<Address> ContributorAsync(ulong contributionId)
    {
        var t = (object?[])(await chain.CallAsync(datanetRegistry, GetContribution, new UInt256(contributionId)))[0]!;
        return (Address)t[1]!;
    }
}
