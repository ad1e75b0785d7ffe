using OpenLedger.Chain.Blocks;
using OpenLedger.Primitives;

namespace OpenLedger.Chain.Rollup;

/// <summary>An L2 block's output (specs/protocol/proposals.md, version 0) with the parts it hashes.</summary>
public sealed record L2Output(BlockHeader Header, Hash256 BlockHash, Hash256 StateRoot, Hash256 MessagePasserStorageRoot, Hash256 Root);

/// <summary>
/// Output roots, version 0: keccak256(bytes32(0) ‖ stateRoot ‖ L2ToL1MessagePasser storage root ‖ blockHash), what the
/// proposer posts to L2OutputOracle and what withdrawal proofs are checked against (our RollupHashing.sol hashes the
/// same preimage). One home for the node's RPC, the proposer's and the challenger's view.
/// </summary>
public static class OutputRoot
{
    public static readonly Hash256 Version0 = Hash256.Zero;

    public static Hash256 ComputeV0(Hash256 stateRoot, Hash256 messagePasserStorageRoot, Hash256 blockHash)
    {
        Span<byte> buf = stackalloc byte[128];
        Version0.Bytes.CopyTo(buf);
        stateRoot.Bytes.CopyTo(buf[32..]);
        messagePasserStorageRoot.Bytes.CopyTo(buf[64..]);
        blockHash.Bytes.CopyTo(buf[96..]);
        return Keccak256.Compute(buf);
    }

    /// <summary>
    /// The output of canonical block <paramref name="number"/>, or null when the chain has no such block. Throws when the
    /// block's state has no L2ToL1MessagePasser (not a rollup chain: no output to give).
    /// </summary>
    public static L2Output? At(Blockchain chain, ulong number)
    {
        var header = chain.Store.GetHeader(number);
        if (header is null) return null;
        var passer = chain.StateAt(header).GetAccount(Predeploys.L2ToL1MessagePasser)
            ?? throw new InvalidOperationException($"block {number} has no L2ToL1MessagePasser at {Predeploys.L2ToL1MessagePasser}: not a rollup chain");
        var hash = header.Hash;
        return new L2Output(header, hash, header.StateRoot, passer.StorageRoot, ComputeV0(header.StateRoot, passer.StorageRoot, hash));
    }
}
