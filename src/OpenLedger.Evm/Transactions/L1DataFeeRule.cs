using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.State.World;

namespace OpenLedger.Evm.Transactions;

/// <summary>The L1 data fee of <paramref name="tx"/> (gas token wei) in the state it is about to run on.</summary>
public delegate UInt256 L1CostFunction(WorldState world, Transaction tx);

/// <summary>
/// OP Stack rollups charge each non-deposit transaction an L1 data fee on top of its gas (specs/protocol/exec-engine.md,
/// "L1-Cost fees"): it counts in the sender's balance check, is bought with the gas, is never refunded, and is credited to
/// <paramref name="Vault"/> (the L1FeeVault). The rule itself is the chain's (OpenLedger.Chain's L1DataFee).
/// </summary>
public sealed record L1DataFeeRule(Address Vault, L1CostFunction Cost);
