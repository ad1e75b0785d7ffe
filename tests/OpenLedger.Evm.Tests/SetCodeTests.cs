using OpenLedger.Evm.Execution;
using OpenLedger.Evm.Instructions;
using OpenLedger.Evm.Transactions;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.State.World;

namespace OpenLedger.Evm.Tests;

/// <summary>EIP-7702 set-code transactions, from the EIP's text: authorization checks, designators, gas and warm rules.</summary>
public class SetCodeTests
{
    private static readonly Address Sender = EvmTestHarness.Sender;
    private static readonly EthKey AuthorityKey = EthKey.FromHex("0x0102030405060708091011121314151617181920212223242526272829303132");
    private static readonly EthKey OtherKey = EthKey.FromHex("0x6d2ab2bd3d2a4c1e5e3c8c0c6c4f8a4b2d1f0e9c8b7a6958473625140312f0e1");
    private static readonly Address Authority = AuthorityKey.Address;
    private static readonly Address Delegate = Address.Parse("0x000000000000000000000000000000000000d0d0");
    private static readonly Address Caller = Address.Parse("0x000000000000000000000000000000000000ca11");

    // CALLER PUSH0 SSTORE ADDRESS PUSH1 1 SSTORE STOP: records who called and in whose context it ran.
    private static readonly byte[] DelegateCode = new Asm().Op((byte)Opcode.CALLER).Push(0).Op(0x55).Op((byte)Opcode.ADDRESS).Push(1).Op(0x55).Op(0x00).Build();
    private const long DelegateCodeGas = 2 + 2 + 22100 + 2 + 3 + 22100;

    private sealed class Run
    {
        public readonly MemoryWorldSource Pre = new();
        public WorldState World = null!;
        public ForkSpec Spec = ForkSpec.Prague;

        public Run()
        {
            Pre.SetAccount(Sender, 0, new UInt256(1_000_000_000_000_000_000UL), []);
            Pre.SetAccount(Delegate, 1, UInt256.Zero, DelegateCode);
        }

        public TransactionResult Execute(Transaction tx, Address? from = null)
        {
            World = new WorldState(Pre);
            return new TransactionProcessor(Spec).Execute(World, EvmTestHarness.Block, tx, from ?? Sender);
        }
    }

    private static Transaction SetCodeTx(Address to, params AuthorizationTuple[] auths) => new()
    {
        Type = TxType.SetCode,
        ChainId = 1,
        Nonce = 0,
        MaxFeePerGas = new UInt256(10),
        MaxPriorityFeePerGas = UInt256.Zero,
        GasLimit = 500_000,
        To = to,
        AuthorizationList = auths,
    };

    private static AuthorizationTuple Auth(Address target, ulong nonce = 0, ulong chainId = 1, EthKey? key = null) =>
        AuthorizationTuple.Sign(new UInt256(chainId), target, nonce, key ?? AuthorityKey);

    [Fact]
    public void Authorization_installs_a_designator_and_the_call_runs_the_delegates_code_in_the_authoritys_context()
    {
        var run = new Run();
        var r = run.Execute(SetCodeTx(Authority, Auth(Delegate)));
        Assert.True(r.Success, r.Status.ToString());
        Assert.Equal(Delegation.Designator(Delegate), run.World.GetCode(Authority));
        Assert.Equal(23, run.World.GetCode(Authority).Length);
        Assert.Equal(1UL, run.World.GetNonce(Authority));
        Assert.Equal(Word.FromAddress(Sender), run.World.GetStorage(Authority, UInt256.Zero));
        Assert.Equal(Word.FromAddress(Authority), run.World.GetStorage(Authority, UInt256.One));
        Assert.Equal(UInt256.Zero, run.World.GetStorage(Delegate, UInt256.Zero));
        // Intrinsic 21000 + 25000 per authorization; the authority did not exist, so nothing is refunded;
        // the top-level call's delegate is warmed for free.
        Assert.Equal(21000 + 25000 + DelegateCodeGas, r.GasUsed);
    }

    [Fact]
    public void An_existing_authority_refunds_12500_within_the_one_fifth_cap()
    {
        var run = new Run();
        run.Pre.SetAccount(Authority, 0, new UInt256(5), []);
        var r = run.Execute(SetCodeTx(Authority, Auth(Delegate)));
        Assert.True(r.Success);
        long used = 21000 + 25000 + DelegateCodeGas;
        Assert.Equal(used - Math.Min(12500, used / 5), r.GasUsed);
    }

    [Theory]
    [InlineData("wrong chain id")]
    [InlineData("nonce mismatch")]
    [InlineData("nonce max")]
    [InlineData("y parity 2")]
    [InlineData("r zero")]
    [InlineData("s above n/2")]
    [InlineData("s zero")]
    [InlineData("authority has code")]
    public void Invalid_authorizations_are_skipped_and_the_transaction_still_runs(string fault)
    {
        var run = new Run();
        var good = Auth(Delegate);
        var auth = fault switch
        {
            "wrong chain id" => Auth(Delegate, chainId: 2),
            "nonce mismatch" => Auth(Delegate, nonce: 1),
            "nonce max" => Auth(Delegate, nonce: ulong.MaxValue),
            "y parity 2" => good with { YParity = 2 },
            "r zero" => good with { R = UInt256.Zero },
            // The same signature with s' = n - s and the other parity recovers the same key, but EIP-2 forbids it.
            "s above n/2" => good with { S = Secp256k1.N - good.S, YParity = (byte)(1 - good.YParity) },
            "s zero" => good with { S = UInt256.Zero },
            _ => good,
        };
        if (fault == "authority has code") run.Pre.SetAccount(Authority, 0, UInt256.Zero, [0x00]);
        var r = run.Execute(SetCodeTx(Authority, auth));
        Assert.True(r.Success, r.Status.ToString());
        Assert.Equal(fault == "authority has code" ? [0x00] : [], run.World.GetCode(Authority));
        Assert.Equal(0UL, run.World.GetNonce(Authority));
        Assert.Equal(UInt256.Zero, run.World.GetStorage(Authority, UInt256.Zero));
        // Still charged 25000 intrinsic gas for the skipped tuple; no code ran (or STOP ran).
        Assert.Equal(21000 + 25000, r.GasUsed);
    }

    [Fact]
    public void Chain_id_zero_authorizes_on_any_chain()
    {
        var run = new Run();
        var r = run.Execute(SetCodeTx(Authority, Auth(Delegate, chainId: 0)));
        Assert.True(r.Success);
        Assert.Equal(Delegation.Designator(Delegate), run.World.GetCode(Authority));
    }

    [Fact]
    public void The_last_valid_tuple_for_an_authority_wins_and_each_bumps_the_nonce()
    {
        var run = new Run();
        var other = Address.Parse("0x000000000000000000000000000000000000e0e0");
        var r = run.Execute(SetCodeTx(Authority, Auth(other, nonce: 0), Auth(Delegate, nonce: 1), Auth(other, nonce: 1)));
        Assert.True(r.Success);
        Assert.Equal(Delegation.Designator(Delegate), run.World.GetCode(Authority));
        Assert.Equal(2UL, run.World.GetNonce(Authority));
    }

    [Fact]
    public void Self_sponsored_authorization_uses_the_nonce_after_the_senders_bump()
    {
        var run = new Run();
        run.Pre.SetAccount(Authority, 0, new UInt256(1_000_000_000_000_000_000UL), []);
        var tx = SetCodeTx(Authority, Auth(Delegate, nonce: 1));
        var r = run.Execute(tx, from: Authority);
        Assert.True(r.Success);
        Assert.Equal(2UL, run.World.GetNonce(Authority));
        Assert.Equal(Word.FromAddress(Authority), run.World.GetStorage(Authority, UInt256.Zero)); // CALLER = the sender itself

        var sameNonce = new Run();
        sameNonce.Pre.SetAccount(Authority, 0, new UInt256(1_000_000_000_000_000_000UL), []);
        var r2 = sameNonce.Execute(SetCodeTx(Authority, Auth(Delegate, nonce: 0)), from: Authority);
        Assert.True(r2.Success);
        Assert.Empty(sameNonce.World.GetCode(Authority));
        Assert.Equal(1UL, sameNonce.World.GetNonce(Authority));
    }

    [Fact]
    public void Delegating_to_the_zero_address_clears_the_code()
    {
        var run = new Run();
        run.Pre.SetAccount(Authority, 3, UInt256.Zero, Delegation.Designator(Delegate));
        var r = run.Execute(SetCodeTx(Authority, Auth(Address.Zero, nonce: 3)));
        Assert.True(r.Success);
        Assert.Empty(run.World.GetCode(Authority));
        Assert.Equal(Keccak256.EmptyHash, run.World.GetCodeHash(Authority));
        Assert.Equal(4UL, run.World.GetNonce(Authority));
    }

    [Fact]
    public void A_reverting_call_keeps_the_authorization()
    {
        var run = new Run();
        var reverter = Address.Parse("0x000000000000000000000000000000000000dead");
        run.Pre.SetAccount(reverter, 1, UInt256.Zero, new Asm().Push(1).Push(0).Op(0x55).Push(0).Push(0).Op(0xfd).Build()); // SSTORE then REVERT
        var r = run.Execute(SetCodeTx(Authority, Auth(reverter)));
        Assert.True(r.IsValid);
        Assert.Equal(EvmStatus.Revert, r.Status);
        Assert.Equal(Delegation.Designator(reverter), run.World.GetCode(Authority));
        Assert.Equal(1UL, run.World.GetNonce(Authority));
        Assert.Equal(UInt256.Zero, run.World.GetStorage(Authority, UInt256.Zero)); // the call's write was reverted
    }

    [Fact]
    public void Delegation_to_a_precompile_runs_nothing()
    {
        var run = new Run();
        var identity = Address.Parse("0x0000000000000000000000000000000000000004");
        var tx = SetCodeTx(Authority, Auth(identity));
        tx.Data = [1, 2, 3];
        var r = run.Execute(tx);
        Assert.True(r.Success);
        Assert.Empty(r.Output); // identity would have echoed the input
        Assert.Equal(21000 + 25000 + 3 * 16, r.GasUsed);
    }

    [Fact]
    public void Delegation_chains_are_not_followed()
    {
        var run = new Run();
        var other = OtherKey.Address;
        run.Pre.SetAccount(other, 1, UInt256.Zero, Delegation.Designator(Delegate));
        var r = run.Execute(SetCodeTx(Authority, Auth(other)));
        Assert.True(r.IsValid);
        // The authority runs `other`'s code, which is a designator: 0xef is not an opcode.
        Assert.Equal(EvmStatus.InvalidOpcode, r.Status);
        Assert.Equal(500_000, r.GasUsed);
        Assert.Equal(Delegation.Designator(other), run.World.GetCode(Authority));
    }

    [Theory]
    [InlineData(false, 2600 + 2600)]
    [InlineData(true, 2600 + 100)]
    public void Calling_a_delegated_account_charges_for_its_delegate(bool delegateInAccessList, long accessCost)
    {
        var run = new Run();
        run.Pre.SetAccount(Authority, 1, UInt256.Zero, Delegation.Designator(Delegate));
        // CALL(0 gas, authority, 0, 0, 0, 0, 0) POP STOP: the callee gets no gas, so only the access is paid.
        var code = new Asm().Push(0).Push(0).Push(0).Push(0).Push(0).Push(Authority).Push(0).Op(0xf1).Op(0x50).Op(0x00).Build();
        run.Pre.SetAccount(Caller, 1, UInt256.Zero, code);
        var tx = new Transaction
        {
            Type = TxType.AccessList, ChainId = 1, GasPrice = new UInt256(10), GasLimit = 100_000, To = Caller,
            AccessList = delegateInAccessList ? [new AccessListItem(Delegate)] : [],
        };
        var r = run.Execute(tx);
        Assert.True(r.Success);
        long intrinsic = 21000 + (delegateInAccessList ? 2400 : 0);
        Assert.Equal(intrinsic + 5 * 2 + 3 + 2 + accessCost + 2, r.GasUsed);
    }

    [Fact]
    public void Extcode_opcodes_see_the_designator_itself()
    {
        var run = new Run();
        run.Pre.SetAccount(Authority, 1, UInt256.Zero, Delegation.Designator(Delegate));
        // EXTCODESIZE(authority) PUSH0 SSTORE EXTCODEHASH(authority) PUSH1 1 SSTORE
        var code = new Asm().Push(Authority).Op(0x3b).Push(0).Op(0x55).Push(Authority).Op(0x3f).Push(1).Op(0x55).Build();
        run.Pre.SetAccount(Caller, 1, UInt256.Zero, code);
        var r = run.Execute(new Transaction { Type = TxType.Legacy, GasPrice = new UInt256(10), GasLimit = 200_000, To = Caller });
        Assert.True(r.Success);
        Assert.Equal(new UInt256(23), run.World.GetStorage(Caller, UInt256.Zero));
        Assert.Equal(Word.FromHash(Keccak256.Compute(Delegation.Designator(Delegate))), run.World.GetStorage(Caller, UInt256.One));
    }

    [Fact]
    public void A_delegated_account_may_send_transactions_but_one_with_other_code_may_not()
    {
        var run = new Run();
        run.Pre.SetAccount(Sender, 0, new UInt256(1_000_000_000_000_000_000UL), Delegation.Designator(Delegate));
        var tx = new Transaction { Type = TxType.Legacy, GasPrice = new UInt256(10), GasLimit = 21_000, To = Caller };
        Assert.True(run.Execute(tx).IsValid);

        var contract = new Run();
        contract.Pre.SetAccount(Sender, 0, new UInt256(1_000_000_000_000_000_000UL), [0x00]);
        Assert.Equal("TransactionException.SENDER_NOT_EOA", contract.Execute(tx).Rejection);
    }

    [Fact]
    public void Set_code_transactions_are_rejected_before_Prague_and_without_a_target_or_authorizations()
    {
        Assert.Equal("TransactionException.TYPE_4_TX_PRE_FORK", new Run { Spec = ForkSpec.Cancun }.Execute(SetCodeTx(Authority, Auth(Delegate))).Rejection);
        Assert.Equal("TransactionException.TYPE_4_EMPTY_AUTHORIZATION_LIST", new Run().Execute(SetCodeTx(Authority)).Rejection);
        var create = SetCodeTx(Authority, Auth(Delegate));
        create.To = null;
        Assert.Equal("TransactionException.TYPE_4_TX_CONTRACT_CREATION", new Run().Execute(create).Rejection);
    }

    [Fact]
    public void Calldata_floor_applies_from_Prague()
    {
        // 1000 non-zero bytes to an account without code: standard cost 21000 + 16000, floor 21000 + 40000.
        var tx = new Transaction { Type = TxType.Legacy, GasPrice = new UInt256(10), GasLimit = 100_000, To = Caller, Data = Enumerable.Repeat((byte)1, 1000).ToArray() };
        Assert.Equal(37_000, new Run { Spec = ForkSpec.Cancun }.Execute(tx).GasUsed);
        Assert.Equal(61_000, new Run().Execute(tx).GasUsed);
        tx.GasLimit = 60_999;
        Assert.Equal("TransactionException.INTRINSIC_GAS_BELOW_FLOOR_GAS_COST", new Run().Execute(tx).Rejection);
    }

    [Fact]
    public void Osaka_caps_transaction_gas_at_2_pow_24()
    {
        var tx = new Transaction { Type = TxType.Legacy, GasPrice = new UInt256(10), GasLimit = (1UL << 24) + 1, To = Caller };
        var run = new Run { Spec = ForkSpec.Osaka };
        var block = EvmTestHarness.Block with { GasLimit = 60_000_000 };
        run.World = new WorldState(run.Pre);
        Assert.Equal("TransactionException.GAS_LIMIT_EXCEEDS_MAXIMUM", new TransactionProcessor(ForkSpec.Osaka).Execute(run.World, block, tx, Sender).Rejection);
        tx.GasLimit = 1UL << 24;
        Assert.True(new TransactionProcessor(ForkSpec.Osaka).Execute(new WorldState(run.Pre), block, tx, Sender).IsValid);
        tx.GasLimit = (1UL << 24) + 1;
        Assert.True(new TransactionProcessor(ForkSpec.Prague).Execute(new WorldState(run.Pre), block, tx, Sender).IsValid);
    }
}
