using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Tests;

/// <summary>EIP-6780: SELFDESTRUCT moves the balance; only a contract created in the same transaction is deleted.</summary>
public class SelfDestructTests
{
    [Fact]
    public void Existing_contract_keeps_its_code_and_loses_its_balance()
    {
        // PUSH2 beef SELFDESTRUCT
        var h = new EvmTestHarness().WithBalance(EvmTestHarness.Contract, "61beefff", 100);
        var r = h.Run();
        Assert.True(r.Success);
        // 5000 + cold beneficiary 2600 + new account 25000 (beef is dead and value moves)
        Assert.Equal(21000 + 3 + 5000 + 2600 + 25000, r.GasUsed);
        Assert.True(h.World.Exists(EvmTestHarness.Contract));
        Assert.Equal(4, h.World.GetCode(EvmTestHarness.Contract).Length);
        Assert.Equal(UInt256.Zero, h.World.GetBalance(EvmTestHarness.Contract));
        Assert.Equal(new UInt256(100), h.World.GetBalance(EvmTestHarness.Other));
    }

    [Fact]
    public void Contract_created_in_the_same_transaction_is_deleted()
    {
        var h = new EvmTestHarness();
        var r = h.Run(data: Hex.Decode("61beefff"), create: true);
        Assert.True(r.Success);
        var created = ContractAddress.Create(EvmTestHarness.Sender, 0);
        Assert.False(h.World.Exists(created));
        Assert.Equal(1UL, h.World.GetNonce(EvmTestHarness.Sender));
    }

    [Fact]
    public void Create_onto_an_address_with_code_fails_and_consumes_the_gas()
    {
        var target = ContractAddress.Create(EvmTestHarness.Sender, 0);
        var h = new EvmTestHarness().WithCode(target, "00");
        var r = h.Run(gasLimit: 100_000, data: Hex.Decode("00"), create: true);
        Assert.Equal(EvmStatus.CreateCollision, r.Status);
        Assert.Equal(100_000, r.GasUsed);
        Assert.Equal(1UL, h.World.GetNonce(EvmTestHarness.Sender));
    }
}
