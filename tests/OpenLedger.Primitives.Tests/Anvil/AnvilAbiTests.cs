using System.Numerics;
using Nethereum.JsonRpc.Client;
using Newtonsoft.Json.Linq;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Primitives.Tests.Anvil;

/// <summary>anvil with Web3Probe deployed from dev account 0 (constructor args 7, "probe", 1 wei), with our ABI encoding and decoding.</summary>
public sealed class ProbeNode : AnvilNode
{
    public ContractAbi Abi => ProbeArtifact.Value.Abi;
    public Address Probe { get; private set; }
    /// <summary>The deployment's block (other tests change the value later: the constructor's effects are read there).</summary>
    public string DeployBlock { get; private set; } = "latest";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var receipt = await SendAsync(DevKey0, null, Abi.Constructor.EncodeDeploy(ProbeArtifact.Value.Bytecode, new UInt256(7), "probe"), UInt256.One);
        Assert.Equal(1UL, U64(receipt["status"]!));
        Probe = Address.Parse(receipt["contractAddress"]!.Value<string>()!);
        DeployBlock = receipt["blockNumber"]!.Value<string>()!;
    }

    public AbiFunction Function(string name, int args) =>
        name.Contains('(') || Abi.Functions.Count(f => f.Name == name) <= 1 ? Abi.Function(name) : Abi.Function(name, args);

    /// <summary>eth_call of <paramref name="name"/> with our encoding, decoded by our ABI; a revert comes back as our <see cref="RevertReason"/>.</summary>
    public async Task<(object?[]? Result, RevertReason? Revert)> TryCallAsync(string name, object?[] args, Address? from = null, string block = "latest")
    {
        var f = Function(name, args.Length);
        var call = new Dictionary<string, object> { ["to"] = Probe.ToString(), ["data"] = Hex.Encode(f.EncodeCall(args)) };
        if (from is { } a) call["from"] = a.ToString();
        try
        {
            return (f.DecodeOutput(Hex.Decode((await RpcAsync("eth_call", call, block)).Value<string>()!)), null);
        }
        catch (RpcResponseException e) when (e.RpcError.Code == 3)
        {
            return (null, Abi.DecodeRevert(Hex.Decode(e.RpcError.Data?.ToString() is { Length: > 0 } d ? d : "0x")));
        }
    }

    public async Task<object?[]> CallAsync(string name, params object?[] args) =>
        (await TryCallAsync(name, args)).Result ?? throw new InvalidOperationException($"{name} reverted");

    public async Task<RevertReason> RevertAsync(string name, object?[] args, Address? from = null) =>
        (await TryCallAsync(name, args, from)).Revert ?? throw new InvalidOperationException($"{name} did not revert");

    /// <summary>Sends <paramref name="name"/> from dev account 1 with a fixed gas limit; the receipt.</summary>
    public Task<JObject> SendAsync(string name, object?[] args, UInt256 value = default) =>
        SendAsync(DevKey1, Probe, Function(name, args.Length).EncodeCall(args), value, 500_000);

    public List<DecodedEvent> Events(JObject receipt) => ((JArray)receipt["logs"]!)
        .Select(l => Abi.TryDecodeLog(((JArray)l["topics"]!).Select(t => Hash256.Parse(t.Value<string>()!)).ToList(), Hex.Decode(l["data"]!.Value<string>()!)))
        .OfType<DecodedEvent>().ToList();
}

/// <summary>
/// Our ABI (Primitives) against contracts anvil runs: constructor, calls, overloads, events, reverts, custom errors and
/// panics. (Moved from the retired OpenLedger.Web3 tests; the transport is Nethereum's JSON-RPC client.)
/// </summary>
public class AnvilAbiTests(ProbeNode f) : IClassFixture<ProbeNode>
{
    [Fact]
    public async Task Deployment_ran_the_constructor_with_its_arguments_and_value()
    {
        Assert.Equal(new UInt256(7), (await f.TryCallAsync("value", [], block: f.DeployBlock)).Result![0]);
        Assert.Equal("probe", (await f.CallAsync("name"))[0]);
        Assert.Equal(AnvilNode.DevAddress0, (await f.CallAsync("owner"))[0]);
        Assert.Equal(UInt256.One, AnvilNode.U256(await f.RpcAsync("eth_getBalance", f.Probe.ToString(), f.DeployBlock)));
        Assert.NotEmpty(await f.CodeAsync(f.Probe));
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
        var r = await f.CallAsync("echo", (byte)200, new BigInteger(-300), c, true, AnvilNode.DevAddress1);
        Assert.Equal(new UInt256(200), r[0]);
        Assert.Equal(new BigInteger(-300), r[1]);
        Assert.Equal(c, (byte[])r[2]!);
        Assert.Equal(true, r[3]);
        Assert.Equal(AnvilNode.DevAddress1, r[4]);
    }

    [Fact]
    public async Task Overloads_resolve_by_argument_count_or_signature_and_dynamic_outputs_decode()
    {
        Assert.Equal(new UInt256(5), (await f.CallAsync("sum", new UInt256(2), new UInt256(3)))[0]);
        Assert.Equal(new UInt256(10), (await f.CallAsync("sum(uint256[])", (object)new[] { 1, 2, 3, 4 }))[0]);
        var r = await f.CallAsync("names", (object)new[] { "a", "", "ccc" });
        Assert.Equal(new object[] { "a", "", "ccc" }, (object?[])r[0]!);
        Assert.Equal(new UInt256(3), r[1]);
    }

    [Fact]
    public async Task Send_emits_events_that_decode_with_indexed_and_data_fields()
    {
        var before = (await f.CallAsync("value"))[0];
        var receipt = await f.SendAsync("setValue", [new UInt256(42), "why not"]);
        Assert.Equal(1UL, AnvilNode.U64(receipt["status"]!));
        var ev = Assert.Single(f.Events(receipt));
        Assert.Equal("ValueSet", ev.Name);
        Assert.Equal(AnvilNode.DevAddress1, ev["setter"]);
        Assert.Equal(before, ev["oldValue"]);
        Assert.Equal(new UInt256(42), ev["newValue"]);
        Assert.Equal("why not", ev["note"]);
        Assert.Equal(new UInt256(42), (await f.CallAsync("value"))[0]);
    }

    [Fact]
    public async Task Indexed_string_decodes_to_its_hash_and_tuples_decode_in_data()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var tagged = Assert.Single(f.Events(await f.SendAsync("tag", ["label", key, new byte[] { 9, 8, 7 }])));
        Assert.Equal(Keccak256.Compute("label"u8), tagged["tag"]);
        Assert.Equal(key, (byte[])tagged["key"]!);
        Assert.Equal(new byte[] { 9, 8, 7 }, (byte[])tagged["payload"]!);

        var point = new object[] { new UInt256(5), new BigInteger(-6), "p" };
        var stored = Assert.Single(f.Events(await f.SendAsync("storePoint", [point, new[] { 10, 20 }])));
        Assert.Equal(AbiFormat.Value(point), AbiFormat.Value(stored["p"]));
        Assert.Equal(AbiFormat.Value(new[] { new UInt256(10), new UInt256(20) }), AbiFormat.Value(stored["ids"]));
        Assert.Equal(AbiFormat.Value(point), AbiFormat.Value(await f.CallAsync("last")));
    }

    [Fact]
    public async Task Payable_function_receives_value()
    {
        var before = await f.BalanceAsync(f.Probe);
        var ev = Assert.Single(f.Events(await f.SendAsync("deposit", [], new UInt256(1000))));
        Assert.Equal(new UInt256(1000), ev["amount"]);
        Assert.Equal(before + new UInt256(1000), await f.BalanceAsync(f.Probe));
    }

    [Fact]
    public async Task Require_string_revert_decodes_from_eth_call()
    {
        Assert.Equal(new UInt256(11), (await f.CallAsync("failRequire", new UInt256(11)))[0]);
        var revert = await f.RevertAsync("failRequire", [new UInt256(5)]);
        Assert.Equal(RevertKind.Error, revert.Kind);
        Assert.Equal("x too small", revert.Message);
        Assert.Equal(RevertReason.ErrorString.Encode("x too small"), revert.Data);
    }

    [Fact]
    public async Task Custom_error_decodes_with_name_and_arguments()
    {
        var revert = await f.RevertAsync("failCustom", [new UInt256(99)], AnvilNode.DevAddress1);
        Assert.Equal(RevertKind.Custom, revert.Kind);
        Assert.Equal("Unauthorized", revert.CustomError!.Name);
        Assert.Equal(AnvilNode.DevAddress1, revert.Arguments[0]);
        Assert.Equal(new UInt256(99), revert.Arguments[1]);

        var empty = await f.RevertAsync("failEmpty", []);
        Assert.Equal("Empty", empty.CustomError!.Name);
        Assert.Empty(empty.Arguments);
    }

    [Theory]
    [InlineData("failPanic", 0, 0x12)]
    [InlineData("failOverflow", 10, 0x11)]
    [InlineData("failAssert", -1, 0x01)]
    public async Task Panics_decode_with_their_code(string function, int arg, ulong code)
    {
        object?[] args = arg < 0 ? [] : [arg];
        var revert = await f.RevertAsync(function, args);
        Assert.Equal(RevertKind.Panic, revert.Kind);
        Assert.Equal(new UInt256(code), revert.PanicCode);
        Assert.Contains(RevertReason.PanicName(new UInt256(code)), revert.ToString());
    }

    [Fact]
    public async Task Bare_revert_has_no_data()
    {
        Assert.Equal(RevertKind.Empty, (await f.RevertAsync("failBare", [])).Kind);
    }

    [Fact]
    public async Task Transaction_mined_but_reverted_has_its_reason_on_replay()
    {
        // A fixed gas limit skips estimation, so the reverting transaction is mined; replayed at its block, the reason decodes.
        var receipt = await f.SendAsync("failRequire", [new UInt256(1)]);
        Assert.Equal(0UL, AnvilNode.U64(receipt["status"]!));
        var (_, revert) = await f.TryCallAsync("failRequire", [new UInt256(1)], AnvilNode.DevAddress1, receipt["blockNumber"]!.Value<string>()!);
        Assert.Equal("x too small", revert!.Message);
    }
}
