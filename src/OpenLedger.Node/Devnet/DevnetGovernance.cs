using OpenLedger.Chain.Rollup;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Devnet;

/// <summary>
/// Who governs the devnet's L2: on a rollup devnet the L1 timelock (the governor's executor), through deposits, so the
/// L2 contracts and fee vaults belong to its aliased address (OP's L1 → L2 aliasing) and nobody on L2 can act for it.
/// A `--no-rollup` devnet derives no deposits, so there the deployer (dev account 0) keeps them.
/// </summary>
public static class DevnetGovernance
{
    /// <summary>The aliased L1 timelock when the L1 has a timelock and a portal to reach the L2 through; null otherwise.</summary>
    public static Address? L2Owner(IReadOnlyDictionary<string, string>? l1) =>
        l1 is not null && l1.ContainsKey("OpenPortal") && l1.TryGetValue("TimelockController", out var t) && Address.TryParse(t, out var timelock)
            ? AddressAlias.ApplyL1ToL2(timelock)
            : null;

    public static string Describe(Address owner) =>
        $"L2 governance: the L2 contracts and fee vaults belong to {owner}, the L1 TimelockController's aliased address: governance acts on L2 "
        + "with OpenPortal.depositTransaction from the timelock (a proposal's call), which arrives on L2 from that address";
}
