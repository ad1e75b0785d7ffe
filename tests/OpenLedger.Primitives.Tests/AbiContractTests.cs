using System.Numerics;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Primitives.Tests;

/// <summary>JSON ABI parsing, overloads, events, custom errors and revert decoding.</summary>
public class AbiContractTests
{
    private const string Json = """
    [
      {"type":"constructor","inputs":[{"name":"v","type":"uint256"}],"stateMutability":"payable"},
      {"type":"function","name":"transfer","inputs":[{"name":"to","type":"address"},{"name":"amount","type":"uint256"}],
       "outputs":[{"name":"","type":"bool"}],"stateMutability":"nonpayable"},
      {"type":"function","name":"sum","inputs":[{"name":"xs","type":"uint256[]"}],"outputs":[{"type":"uint256"}],"stateMutability":"pure"},
      {"type":"function","name":"sum","inputs":[{"name":"a","type":"uint256"},{"name":"b","type":"uint256"}],"outputs":[{"type":"uint256"}],"stateMutability":"pure"},
      {"type":"function","name":"store","inputs":[{"name":"ps","type":"tuple[2][]","components":[
          {"name":"x","type":"uint64"},{"name":"tags","type":"string[]"}]}],"outputs":[],"stateMutability":"nonpayable"},
      {"type":"event","name":"Transfer","inputs":[{"name":"from","type":"address","indexed":true},
          {"name":"to","type":"address","indexed":true},{"name":"value","type":"uint256","indexed":false}],"anonymous":false},
      {"type":"event","name":"Tagged","inputs":[{"name":"tag","type":"string","indexed":true},
          {"name":"key","type":"bytes32","indexed":true},{"name":"payload","type":"bytes","indexed":false}],"anonymous":false},
      {"type":"error","name":"Unauthorized","inputs":[{"name":"caller","type":"address"},{"name":"needed","type":"uint256"}]},
      {"type":"receive","stateMutability":"payable"}
    ]
    """;

    private static readonly ContractAbi Abi = ContractAbi.Parse(Json);
    private static readonly Address Alice = Address.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    private static readonly Address Bob = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

    [Fact]
    public void Reads_functions_events_errors_constructor_and_selectors()
    {
        Assert.Equal(4, Abi.Functions.Count);
        Assert.Equal("a9059cbb", Hex.Encode(Abi.Function("transfer").Selector, prefix: false));
        Assert.Equal("store((uint64,string[])[2][])", Abi.Function("store").Signature);
        Assert.Equal(new[] { "x", "tags" }, Abi.Function("store").Inputs[0].Type.Element!.Element!.ComponentNames);
        Assert.Equal("payable", Abi.Constructor.StateMutability);
        Assert.True(Abi.HasReceive);
        Assert.Equal(Hash256.Parse("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"), Abi.Event("Transfer").Topic0);
        Assert.Equal("Unauthorized(address,uint256)", Abi.Error("Unauthorized").Signature);
    }

    [Fact]
    public void Overloads_need_a_signature_or_an_argument_count()
    {
        var ex = Assert.Throws<AbiException>(() => Abi.Function("sum"));
        Assert.Contains("overloaded", ex.Message);
        Assert.Equal("sum(uint256,uint256)", Abi.Function("sum(uint,uint256)").Signature);
        Assert.Equal("sum(uint256[])", Abi.Function("sum", 1).Signature);
        Assert.Same(Abi.Function("sum", 2), Abi.FunctionBySelector(Abi.Function("sum(uint256,uint256)").Selector));
        Assert.Throws<AbiException>(() => Abi.Function("nope"));
    }

    [Fact]
    public void Decodes_a_transfer_log_with_indexed_addresses()
    {
        var ev = Abi.Event("Transfer");
        var topics = new[] { ev.Topic0, AbiEvent.EncodeTopic(AbiType.Address, Alice), AbiEvent.EncodeTopic(AbiType.Address, Bob) };
        var data = AbiEncoder.Encode(AbiType.UInt256, new UInt256(1000));
        var decoded = Abi.TryDecodeLog(topics, data)!;
        Assert.Equal("Transfer", decoded.Name);
        Assert.Equal(Alice, decoded["from"]);
        Assert.Equal(Bob, decoded["to"]);
        Assert.Equal(new UInt256(1000), decoded["value"]);
        // Wrong topic count and a foreign topic0 are rejected.
        Assert.Throws<AbiDecodingException>(() => ev.Decode(topics[..2], data));
        Assert.Null(Abi.TryDecodeLog([Hash256.Zero], data));
    }

    [Fact]
    public void Indexed_dynamic_values_decode_to_their_hash()
    {
        var ev = Abi.Event("Tagged");
        var key = new Hash256(Enumerable.Repeat((byte)7, 32).ToArray());
        var tagTopic = AbiEvent.EncodeTopic(AbiType.String, "hello");
        Assert.Equal(Keccak256.Compute("hello"u8), tagTopic);
        var decoded = ev.Decode([ev.Topic0, tagTopic, key], AbiEncoder.Encode(AbiType.Bytes, new byte[] { 1, 2 }));
        Assert.Equal(tagTopic, decoded["tag"]);
        Assert.Equal(key.ToArray(), (byte[])decoded["key"]!);
        Assert.Equal(new byte[] { 1, 2 }, (byte[])decoded["payload"]!);
    }

    [Fact]
    public void Decodes_error_string_panic_custom_and_unknown_reverts()
    {
        // require(false, "x too small") as solc encodes it.
        var err = RevertReason.ErrorString.Encode("x too small");
        Assert.Equal("08c379a0", Hex.Encode(err[..4], prefix: false));
        var r = Abi.DecodeRevert(err);
        Assert.Equal(RevertKind.Error, r.Kind);
        Assert.Equal("x too small", r.Message);

        var panic = Abi.DecodeRevert(RevertReason.PanicError.Encode(new UInt256(0x12)));
        Assert.Equal("4e487b71", Hex.Encode(RevertReason.PanicError.Selector, prefix: false));
        Assert.Equal(RevertKind.Panic, panic.Kind);
        Assert.Equal(new UInt256(0x12), panic.PanicCode);
        Assert.Equal("division or modulo by zero", RevertReason.PanicName(panic.PanicCode!.Value));
        Assert.Equal("arithmetic overflow or underflow", RevertReason.PanicName(new UInt256(0x11)));

        var custom = Abi.DecodeRevert(Abi.Error("Unauthorized").Encode(Alice, new UInt256(5)));
        Assert.Equal(RevertKind.Custom, custom.Kind);
        Assert.Equal("Unauthorized", custom.CustomError!.Name);
        Assert.Equal(Alice, custom.Arguments[0]);
        Assert.Equal(new UInt256(5), custom.Arguments[1]);

        Assert.Equal(RevertKind.Empty, Abi.DecodeRevert([]).Kind);
        Assert.Equal(RevertKind.Unknown, Abi.DecodeRevert([1, 2, 3, 4, 5]).Kind);
        // A known selector with a broken body is reported as unknown, not thrown.
        Assert.Equal(RevertKind.Unknown, Abi.DecodeRevert(err[..40]).Kind);
    }

    [Fact]
    public void Nested_tuple_arrays_from_json_round_trip()
    {
        var f = Abi.Function("store");
        object[] P(ulong x, params string[] tags) => [new UInt256(x), tags];
        var arg = new object[] { new object[] { P(1, "a"), P(2) }, new object[] { P(3, "b", "c"), P(4, "") } };
        var call = f.EncodeCall((object)arg);
        Assert.Equal(AbiFormat.Value(arg), AbiFormat.Value(f.DecodeCall(call)[0]));
        Assert.Throws<AbiDecodingException>(() => Abi.Function("transfer").DecodeCall(call));
    }

    [Fact]
    public void Constructor_arguments_follow_the_bytecode()
    {
        var code = new byte[] { 0x60, 0x80 };
        var deploy = Abi.Constructor.EncodeDeploy(code, new BigInteger(42));
        Assert.Equal(2 + 32, deploy.Length);
        Assert.Equal(42, deploy[^1]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[1]")]
    [InlineData("[{\"type\":\"function\",\"inputs\":[]}]")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"name\":\"a\",\"type\":\"uint7\"}]}]")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"name\":\"a\",\"type\":\"tuple\"}]}]")]
    [InlineData("[{\"type\":\"wat\",\"name\":\"f\"}]")]
    [InlineData("[{\"type\":\"event\",\"name\":\"E\",\"inputs\":[{\"type\":\"uint8\",\"indexed\":true},{\"type\":\"uint8\",\"indexed\":true},{\"type\":\"uint8\",\"indexed\":true},{\"type\":\"uint8\",\"indexed\":true}]}]")]
    [InlineData("not json")]
    public void Rejects_malformed_abi_json(string json) => Assert.Throws<AbiException>(() => ContractAbi.Parse(json));

    [Fact]
    public void Artifact_reads_abi_and_bytecode_object()
    {
        var artifact = ContractArtifact.Parse("{\"abi\":" + Json + ",\"bytecode\":{\"object\":\"0x6080\"},\"deployedBytecode\":{\"object\":\"0x60\"}}");
        Assert.Equal(new byte[] { 0x60, 0x80 }, artifact.Bytecode);
        Assert.Equal(4, artifact.Abi.Functions.Count);
        Assert.Throws<AbiException>(() => ContractArtifact.Parse("{\"abi\":[],\"bytecode\":{\"object\":\"0x60__$abc$__\"}}"));
        Assert.Throws<AbiException>(() => ContractArtifact.Parse("{\"bytecode\":\"0x00\"}"));
    }
}
