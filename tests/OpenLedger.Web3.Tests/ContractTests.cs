using System.Numerics;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Web3.Eth;

namespace OpenLedger.Web3.Tests;

/// <summary>anvil with Web3Probe deployed from dev account 0 (constructor args 7, "probe", 1 wei).</summary>
public sealed class ProbeFixture : AnvilFixture
{
    public Contract Probe { get; private set; } = null!;
    public TransactionSender Owner { get; private set; } = null!;
    public TransactionSender Other { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var fast = new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(20) };
        Owner = new TransactionSender(Eth, new EthKey(DevKey0), ChainId, fast);
        Other = new TransactionSender(Eth, new EthKey(DevKey1), ChainId, fast);
        Probe = await Contract.DeployAsync(Eth, Owner, ProbeArtifact.Value, [new UInt256(7), "probe"], UInt256.One);
    }
}

public class ContractTests(ProbeFixture f) : IClassFixture<ProbeFixture>
{
    private Contract Probe => f.Probe;

    [Fact]
    public async Task Deployment_ran_the_constructor_with_its_arguments_and_value()
    {
        Assert.Equal(new UInt256(7), await Probe.CallAsync<UInt256>("value"));
        Assert.Equal("probe", await Probe.CallAsync<string>("name"));
        Assert.Equal(AnvilFixture.DevAddress0, await Probe.CallAsync<Address>("owner"));
        Assert.Equal(UInt256.One, await f.Eth.GetBalanceAsync(Probe.Address));
        Assert.NotEmpty(await f.Eth.GetCodeAsync(Probe.Address));
    }

    [Fact]
    public void Forge_artifact_gives_overloads_events_errors_and_constructor()
    {
        var abi = ProbeArtifact.Value.Abi;
        Assert.Equal(["sum(uint256,uint256)", "sum(uint256[])"], abi.Functions.Where(x => x.Name == "sum").Select(x => x.Signature).Order());
        Assert.Equal("PointStored((uint64,int32,string),uint256[])", abi.Event("PointStored").Signature);
        Assert.Equal(["x", "y", "label"], abi.Event("PointStored").Inputs[0].Type.ComponentNames);
        Assert.Equal(["Empty()", "Unauthorized(address,uint256)"], abi.Errors.Select(e => e.Signature).Order());
        Assert.Equal("payable", abi.Constructor.StateMutability);
        Assert.Equal(["uint256", "string"], abi.Constructor.Inputs.Select(p => p.Type.CanonicalName));
        Assert.NotEmpty(ProbeArtifact.Value.Bytecode);
    }

    [Fact]
    public async Task Call_round_trips_small_integers_fixed_bytes_bool_and_address()
    {
        var c = "abcdefghij"u8.ToArray();
        var r = await Probe.CallAsync("echo", (byte)200, new BigInteger(-300), c, true, AnvilFixture.DevAddress1);
        Assert.Equal(new UInt256(200), r[0]);
        Assert.Equal(new BigInteger(-300), r[1]);
        Assert.Equal(c, (byte[])r[2]!);
        Assert.Equal(true, r[3]);
        Assert.Equal(AnvilFixture.DevAddress1, r[4]);
    }

    [Fact]
    public async Task Overloads_resolve_by_argument_count_or_signature_and_dynamic_outputs_decode()
    {
        Assert.Equal(new UInt256(5), (await Probe.CallAsync("sum", new UInt256(2), new UInt256(3)))[0]);
        Assert.Equal(new UInt256(10), (await Probe.CallAsync("sum(uint256[])", (object)new[] { 1, 2, 3, 4 }))[0]);
        var r = await Probe.CallAsync("names", (object)new[] { "a", "", "ccc" });
        Assert.Equal(new object[] { "a", "", "ccc" }, (object?[])r[0]!);
        Assert.Equal(new UInt256(3), r[1]);
    }

    [Fact]
    public async Task Send_emits_events_that_decode_with_indexed_and_data_fields()
    {
        var before = await Probe.CallAsync<UInt256>("value");
        var receipt = await Probe.SendAsync(f.Other, "setValue", new UInt256(42), "why not");
        Assert.True(receipt.Succeeded);
        var ev = Assert.Single(Probe.DecodeEvents(receipt));
        Assert.Equal("ValueSet", ev.Name);
        Assert.Equal(AnvilFixture.DevAddress1, ev["setter"]);
        Assert.Equal(before, ev["oldValue"]);
        Assert.Equal(new UInt256(42), ev["newValue"]);
        Assert.Equal("why not", ev["note"]);
        Assert.Equal(new UInt256(42), await Probe.CallAsync<UInt256>("value"));

        var found = await Probe.GetEventsAsync("ValueSet", receipt.BlockNumber, receipt.BlockNumber);
        Assert.Equal("why not", Assert.Single(found)["note"]);
    }

    [Fact]
    public async Task Indexed_string_decodes_to_its_hash_and_tuples_decode_in_data()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var tagged = Assert.Single(Probe.DecodeEvents(await Probe.SendAsync(f.Other, "tag", "label", key, new byte[] { 9, 8, 7 })));
        Assert.Equal(Keccak256.Compute("label"u8), tagged["tag"]);
        Assert.Equal(key, (byte[])tagged["key"]!);
        Assert.Equal(new byte[] { 9, 8, 7 }, (byte[])tagged["payload"]!);

        var point = new object[] { new UInt256(5), new BigInteger(-6), "p" };
        var receipt = await Probe.SendAsync(f.Other, "storePoint", point, new[] { 10, 20 });
        var stored = Assert.Single(Probe.DecodeEvents(receipt));
        Assert.Equal(AbiFormat.Value(point), AbiFormat.Value(stored["p"]));
        Assert.Equal(AbiFormat.Value(new[] { new UInt256(10), new UInt256(20) }), AbiFormat.Value(stored["ids"]));
        var last = await Probe.CallAsync("last");
        Assert.Equal(AbiFormat.Value(point), AbiFormat.Value(last));
    }

    [Fact]
    public async Task Payable_function_receives_value()
    {
        var before = await f.Eth.GetBalanceAsync(Probe.Address);
        var receipt = await Probe.SendAsync(f.Other, "deposit", [], new UInt256(1000));
        var ev = Assert.Single(Probe.DecodeEvents(receipt));
        Assert.Equal(new UInt256(1000), ev["amount"]);
        Assert.Equal(before + new UInt256(1000), await f.Eth.GetBalanceAsync(Probe.Address));
    }

    [Fact]
    public async Task Require_string_revert_decodes_from_eth_call()
    {
        Assert.Equal(new UInt256(11), await Probe.CallAsync<UInt256>("failRequire", new UInt256(11)));
        var ex = await Assert.ThrowsAsync<ContractRevertException>(() => Probe.CallAsync("failRequire", new UInt256(5)));
        Assert.Equal(RevertKind.Error, ex.Kind);
        Assert.Equal("x too small", ex.RevertMessage);
        Assert.Equal("failRequire(uint256)", ex.Function);
    }

    [Fact]
    public async Task Raw_eth_call_revert_is_an_rpc_exception_carrying_decoded_revert_data()
    {
        var call = new CallRequest { To = Probe.Address, Data = Probe.Abi.Function("failRequire").EncodeCall(new UInt256(1)) };
        var ex = await Assert.ThrowsAsync<Rpc.RpcException>(() => f.Eth.CallAsync(call));
        Assert.Equal(3, ex.Code); // geth's and anvil's code for execution reverted
        Assert.Contains("x too small", ex.RpcMessage);
        Assert.Equal(RevertReason.ErrorString.Encode("x too small"), ex.RevertData);
        Assert.Equal("x too small", ex.Revert!.Message);
    }

    [Fact]
    public async Task Custom_error_decodes_with_name_and_arguments()
    {
        var ex = await Assert.ThrowsAsync<ContractRevertException>(() =>
            Probe.CallAsync("failCustom", [new UInt256(99)], from: AnvilFixture.DevAddress1));
        Assert.Equal(RevertKind.Custom, ex.Kind);
        Assert.Equal("Unauthorized", ex.ErrorName);
        Assert.Equal(AnvilFixture.DevAddress1, ex.ErrorArguments[0]);
        Assert.Equal(new UInt256(99), ex.ErrorArguments[1]);

        var empty = await Assert.ThrowsAsync<ContractRevertException>(() => Probe.CallAsync("failEmpty"));
        Assert.Equal("Empty", empty.ErrorName);
        Assert.Empty(empty.ErrorArguments);
    }

    [Theory]
    [InlineData("failPanic", 0, 0x12)]
    [InlineData("failOverflow", 10, 0x11)]
    [InlineData("failAssert", -1, 0x01)]
    public async Task Panics_decode_with_their_code(string function, int arg, ulong code)
    {
        object?[] args = arg < 0 ? [] : [arg];
        var ex = await Assert.ThrowsAsync<ContractRevertException>(() => Probe.CallAsync(function, args));
        Assert.Equal(RevertKind.Panic, ex.Kind);
        Assert.Equal(new UInt256(code), ex.PanicCode);
        Assert.Contains(RevertReason.PanicName(new UInt256(code)), ex.Message);
    }

    [Fact]
    public async Task Bare_revert_has_no_data()
    {
        var ex = await Assert.ThrowsAsync<ContractRevertException>(() => Probe.CallAsync("failBare"));
        Assert.Equal(RevertKind.Empty, ex.Kind);
    }

    [Fact]
    public async Task Send_that_would_revert_throws_the_custom_error_and_spends_no_nonce()
    {
        var nonce = await f.Eth.GetTransactionCountAsync(AnvilFixture.DevAddress1, BlockParameter.Pending);
        var ex = await Assert.ThrowsAsync<ContractRevertException>(() => Probe.SendAsync(f.Other, "ownerOnlySet", new UInt256(1)));
        Assert.Equal("Unauthorized", ex.ErrorName);
        Assert.Equal(AnvilFixture.DevAddress1, ex.ErrorArguments[0]);
        Assert.Equal(nonce, await f.Eth.GetTransactionCountAsync(AnvilFixture.DevAddress1, BlockParameter.Pending));
    }

    [Fact]
    public async Task Transaction_mined_but_reverted_reports_the_reason_and_its_hash()
    {
        // A fixed gas limit skips estimation, so the reverting transaction is mined; the reason comes from replaying it.
        var ex = await Assert.ThrowsAsync<ContractRevertException>(() =>
            Probe.SendAsync(f.Other, "failRequire", [new UInt256(1)], UInt256.Zero, gasLimit: 100_000));
        Assert.NotNull(ex.TransactionHash);
        Assert.Equal("x too small", ex.RevertMessage);
        var receipt = (await f.Eth.GetTransactionReceiptAsync(ex.TransactionHash.Value))!;
        Assert.False(receipt.Succeeded);
    }
}
