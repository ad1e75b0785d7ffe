using OpenLedger.Evm.Transactions;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.State.World;

namespace OpenLedger.Evm.Tests;

public class CallDepthTests
{
    [Fact]
    public void Self_recursion_stops_at_1025_frames_even_on_a_small_stack_thread()
    {
        // Each frame increments slot 0, then CALLs itself with all its gas.
        var pre = new MemoryWorldSource();
        pre.SetAccount(EvmTestHarness.Sender, 0, new UInt256(1UL << 62), []);
        pre.SetAccount(EvmTestHarness.Contract, 1, UInt256.Zero, Hex.Decode("60005460010160005560006000600060006000305af100"));
        var world = new WorldState(pre);
        TransactionResult? result = null;
        // Enough gas that the 63/64 rule does not stop the recursion first.
        const ulong gas = 1_000_000_000_000;
        var thread = new Thread(() =>
        {
            var block = EvmTestHarness.Block with { GasLimit = gas, BaseFee = UInt256.Zero };
            var tx = new Transaction { Type = TxType.Legacy, GasLimit = gas, To = EvmTestHarness.Contract, GasPrice = UInt256.Zero };
            result = new TransactionProcessor(ForkSpec.Cancun).Execute(world, block, tx, EvmTestHarness.Sender);
        }, 1024 * 1024);
        thread.Start();
        thread.Join();
        Assert.True(result!.Success);
        Assert.Equal(new UInt256(1025), world.GetStorage(EvmTestHarness.Contract, UInt256.Zero));
    }
}
