using OpenLedger.Primitives;

namespace OpenLedger.Chain.Rollup;

/// <summary>OP Stack predeploy and system addresses (specs/protocol/predeploys.md, deposits.md) that this chain uses.</summary>
public static class Predeploys
{
    /// <summary>The L1 attributes predeploy (our <c>contracts/src/l2/predeploys/L1Block.sol</c>).</summary>
    public static readonly Address L1Block = Address.Parse("0x4200000000000000000000000000000000000015");
    /// <summary>The withdrawal predeploy (our <c>contracts/src/l2/predeploys/L2ToL1MessagePasser.sol</c>).</summary>
    public static readonly Address L2ToL1MessagePasser = Address.Parse("0x4200000000000000000000000000000000000016");
    public static readonly Address GasPriceOracle = Address.Parse("0x420000000000000000000000000000000000000F");
    public static readonly Address SequencerFeeVault = Address.Parse("0x4200000000000000000000000000000000000011");
    public static readonly Address BaseFeeVault = Address.Parse("0x4200000000000000000000000000000000000019");
    public static readonly Address L1FeeVault = Address.Parse("0x420000000000000000000000000000000000001A");

    /// <summary>The L1 attributes depositor account: no known key; the sender of every block's first transaction.</summary>
    public static readonly Address L1AttributesDepositor = Address.Parse("0xDeaDDEaDDeAdDeAdDEAdDEaddeAddEAdDEAd0001");
}
