using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;
using OpenLedger.State.World;

namespace OpenLedger.Evm.Transactions;

/// <summary>
/// A system call (EIP-2935/4788 style): the block, not a transaction, calls a system contract from
/// <see cref="SystemAddress"/> with 30M gas that nobody pays and that does not count toward the block's gas.
/// A missing contract makes it a no-op (as the EIP says for history storage).
/// </summary>
public static class SystemCall
{
    public static readonly Address SystemAddress = Address.Parse("0xfffffffffffffffffffffffffffffffffffffffe");
    public const long GasLimit = 30_000_000;

    /// <summary>EIP-2935's history contract: keeps the last 8191 block hashes, slot = number % 8191.</summary>
    public static readonly Address HistoryStorageAddress = Address.Parse("0x0000F90827F1C53a10cb7A02335B175320002935");

    /// <summary>The contract's runtime code as published in EIP-2935 (set = system caller stores the parent hash; get = anyone reads by number).</summary>
    public static readonly byte[] HistoryStorageCode = Hex.Decode(
        "0x3373fffffffffffffffffffffffffffffffffffffffe14604657602036036042575f35600143038111604257611fff81430311604257611fff9006545f5260205ff35b5f5ffd5b5f35611fff60014303065500");

    public static CallResult Run(WorldState world, ForkSpec spec, BlockContext block, Address contract, byte[] input)
    {
        world.BeginTransaction();
        if (world.GetCodeHash(contract) == Keccak256.EmptyHash)
        {
            world.EndTransaction();
            return new CallResult(EvmStatus.Stop, GasLimit, []);
        }
        var host = new WorldStateHost(world);
        var evm = new EvmExecutor(host, spec, block, new TxContext(SystemAddress, UInt256.Zero, []));
        var result = evm.Call(CallKind.Call, SystemAddress, contract, contract, UInt256.Zero, UInt256.Zero, input, GasLimit, false, 0);
        evm.ReleaseFrames();
        world.EndTransaction();
        return result;
    }

    /// <summary>EIP-2935: at the start of each block from Prague on, store the parent's hash.</summary>
    public static void StoreParentHash(WorldState world, ForkSpec spec, BlockContext block, Hash256 parentHash)
    {
        if (!spec.HasHistoryStorage || block.Number == 0) return;
        Run(world, spec, block, HistoryStorageAddress, parentHash.Bytes.ToArray());
    }
}
