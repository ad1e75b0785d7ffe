using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;
using OpenLedger.State.World;

namespace OpenLedger.Evm.Tests;

/// <summary>
/// EIP-6780 scenario of EEST's test_create_selfdestruct_same_tx, rebuilt here: a create transaction whose init code
/// creates a self-destructing contract (CREATE or CREATE2), calls it several times with rising values and
/// self-destruct recipients (the contract itself among them), and records BALANCE/EXTCODESIZE/EXTCODEHASH in storage.
/// A contract that names itself as beneficiary burns its balance at once: BALANCE reads 0 right after the call.
/// </summary>
public class CreateSelfDestructSameTxTests
{
    private static readonly Address InitcodeHolder = Address.Parse("0x000000000000000000000000000000000000abcd");
    private static readonly Address R1 = Address.Parse("0x0000000000000000000000000000000000001000");
    private static readonly Address R2 = Address.Parse("0x0000000000000000000000000000000000002000");
    private static readonly Address R3 = Address.Parse("0x0000000000000000000000000000000000003000");

    public static TheoryData<bool, int, string, ulong> Cases()
    {
        var data = new TheoryData<bool, int, string, ulong>();
        foreach (bool create2 in new[] { false, true })
            foreach (ulong initial in new ulong[] { 0, 100_000 })
                foreach (var (calls, recipients) in new[] { (1, "R1"), (1, "SELF"), (10, "R1"), (10, "R1,R2,R3"), (10, "SELF,R2,R3"), (10, "R1,R2,SELF"), (3, "R1,R2,SELF") })
                    data.Add(create2, calls, recipients, initial);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Created_contract_destroyed_in_the_same_transaction(bool create2, int callTimes, string recipientList, ulong initialBalance)
    {
        // sstore(0, sload(0) + 1); selfdestruct(calldataload(0)); sstore(0, 0)
        var sdCode = new Asm().Push(0).Op(0x54).Push(1).Op(0x01).Push(0).Op(0x55)
            .Push(0).Op(0x35).Op(0xff).Push(0).Push(0).Op(0x55).Build();
        var initcode = Asm.Deployer(sdCode);
        var entryAddress = ContractAddress.Create(EvmTestHarness.Sender, 0);
        var sd = create2 ? ContractAddress.Create2(entryAddress, UInt256.Zero, initcode) : ContractAddress.Create(entryAddress, 1);
        var recipients = recipientList.Split(',').Select(n => n switch { "R1" => R1, "R2" => R2, "R3" => R3, _ => sd }).ToArray();

        var h = new EvmTestHarness();
        h.Pre.SetAccount(InitcodeHolder, 1, UInt256.Zero, initcode);
        if (initialBalance > 0) h.Pre.SetAccount(sd, 0, new UInt256(initialBalance), []);
        foreach (var r in recipients.Where(r => r != sd).Distinct())
            h.Pre.SetAccount(r, 1, UInt256.Zero, new Asm().Push(0).Push(0).Op(0x55).Build(), [new(UInt256.Zero, UInt256.One)]);

        var expectedStorage = new List<UInt256>();
        var entry = new Asm().Push((ulong)initcode.Length).Push(0).Push(0).Push(InitcodeHolder).Op(0x3c); // EXTCODECOPY
        if (create2) entry.Push(0);
        entry.Push((ulong)initcode.Length).Push(0).Push(0).Op(create2 ? (byte)0xf5 : (byte)0xf0);
        Store(entry, expectedStorage, Word.FromAddress(sd));
        entry.Push(sd).Op(0x3b); Store(entry, expectedStorage, new UInt256((ulong)sdCode.Length));
        entry.Push(sd).Op(0x3f); Store(entry, expectedStorage, Word.FromHash(Keccak256.Compute(sdCode)));

        var finalBalances = recipients.Distinct().ToDictionary(r => r, _ => 0UL);
        finalBalances[recipients[0]] = initialBalance;
        for (int i = 0; i < callTimes; i++)
        {
            var recipient = recipients[i % recipients.Length];
            entry.Push(recipient).Push(0).Op(0x52); // MSTORE(0, recipient)
            entry.Push(0).Push(0).Push(32).Push(0).Push((ulong)i).Push(sd).Op(0x45).Op(0xf1); // CALL(GASLIMIT, sd, i, 0, 32, 0, 0)
            Store(entry, expectedStorage, UInt256.One);
            finalBalances[recipient] += (ulong)i;
            entry.Push(sd).Op(0x31); Store(entry, expectedStorage, UInt256.Zero); // BALANCE(sd) right after: 0
        }
        entry.Push(sd).Op(0x3b); Store(entry, expectedStorage, new UInt256((ulong)sdCode.Length));
        entry.Push(sd).Op(0x3f); Store(entry, expectedStorage, Word.FromHash(Keccak256.Compute(sdCode)));
        entry.Push(1).Push((ulong)Math.Max(initcode.Length, 32)).Op(0xf3);

        var result = h.Run(gasLimit: 10_000_000, data: entry.Build(), create: true, value: 100_000);
        Assert.True(result.Success, result.Status.ToString());
        var w = h.World;
        for (int k = 0; k < expectedStorage.Count; k++)
            Assert.True(expectedStorage[k] == w.GetStorage(entryAddress, new UInt256((ulong)k)), $"entry slot {k}: expected {expectedStorage[k]}, got {w.GetStorage(entryAddress, new UInt256((ulong)k))}");
        Assert.Equal([0x00], w.GetCode(entryAddress));
        Assert.False(w.Exists(sd), "the self-destructed contract must not exist after the transaction");
        foreach (var (r, balance) in finalBalances)
        {
            if (r == sd) continue;
            Assert.Equal(new UInt256(balance), w.GetBalance(r));
            Assert.Equal(UInt256.One, w.GetStorage(r, UInt256.Zero)); // recipients' code never ran
        }

    }

    private static void Store(Asm a, List<UInt256> expected, UInt256 value)
    {
        a.Push((ulong)expected.Count).Op(0x55);
        expected.Add(value);
    }
}
