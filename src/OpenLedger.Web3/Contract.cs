using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Web3.Eth;
using OpenLedger.Web3.Rpc;

namespace OpenLedger.Web3;

/// <summary>A deployed contract: calls (eth_call + decoded outputs), transactions through a <see cref="TransactionSender"/>, events and reverts decoded with its ABI.</summary>
public sealed class Contract
{
    public EthClient Eth { get; }
    public ContractAbi Abi { get; }
    public Address Address { get; }

    public Contract(EthClient eth, ContractAbi abi, Address address)
    {
        Eth = eth;
        Abi = abi;
        Address = address;
    }

    /// <summary>Deploys the artifact's bytecode with ABI-encoded constructor arguments and waits for the receipt.</summary>
    public static async Task<Contract> DeployAsync(EthClient eth, TransactionSender sender, ContractArtifact artifact, object?[] constructorArgs,
        UInt256 value = default, CancellationToken ct = default)
    {
        if (artifact.Bytecode.Length == 0) throw new ArgumentException("artifact has no creation bytecode (interface or abstract contract?)", nameof(artifact));
        var data = artifact.Abi.Constructor.EncodeDeploy(artifact.Bytecode, constructorArgs);
        var request = new TxRequest(null, data, value);
        var receipt = await SendChecked(eth, sender, artifact.Abi, "constructor", request, ct).ConfigureAwait(false);
        var address = receipt.ContractAddress ?? throw new RpcFormatException($"deployment receipt {receipt.TransactionHash} has no contractAddress");
        return new Contract(eth, artifact.Abi, address);
    }

    /// <summary>Calls a function with eth_call and decodes its outputs. <paramref name="function"/> is a name or, for overloads, a signature.</summary>
    public Task<object?[]> CallAsync(string function, params object?[] args) => CallAsync(function, args, null, default, CancellationToken.None);

    public async Task<object?[]> CallAsync(string function, object?[] args, Address? from, BlockParameter block = default, CancellationToken ct = default)
    {
        var f = Resolve(function, args.Length);
        var call = new CallRequest { From = from, To = Address, Data = f.EncodeCall(args) };
        byte[] result;
        try { result = await Eth.CallAsync(call, block, ct).ConfigureAwait(false); }
        catch (RpcException e) when (IsRevert(e)) { throw new ContractRevertException(f.Signature, Abi.DecodeRevert(e.RevertData ?? []), null, e); }
        return f.DecodeOutput(result);
    }

    /// <summary>The single output of a function, cast to <typeparamref name="T"/>.</summary>
    public async Task<T> CallAsync<T>(string function, params object?[] args) => (T)(await CallAsync(function, args).ConfigureAwait(false))[0]!;

    /// <summary>Sends a transaction calling <paramref name="function"/>; waits for the receipt; throws <see cref="ContractRevertException"/> when it would revert or did.</summary>
    public Task<Receipt> SendAsync(TransactionSender sender, string function, params object?[] args) =>
        SendAsync(sender, function, args, UInt256.Zero, gasLimit: null, ct: CancellationToken.None);

    /// <summary>As above with a value in wei and, optionally, a fixed gas limit (which skips estimation, so a reverting call is mined and then reported).</summary>
    public Task<Receipt> SendAsync(TransactionSender sender, string function, object?[] args, UInt256 value, ulong? gasLimit = null, CancellationToken ct = default)
    {
        var f = Resolve(function, args.Length);
        return SendChecked(Eth, sender, Abi, f.Signature, new TxRequest(Address, f.EncodeCall(args), value, gasLimit), ct);
    }

    /// <summary>Decodes the logs this contract emitted in <paramref name="receipt"/> whose topic matches an event of its ABI.</summary>
    public IReadOnlyList<DecodedEvent> DecodeEvents(Receipt receipt) =>
        receipt.Logs.Where(l => l.Address == Address).Select(l => Abi.TryDecodeLog(l.Topics, l.Data)).OfType<DecodedEvent>().ToArray();

    /// <summary>Logs of one event of this contract (eth_getLogs over a block range), decoded.</summary>
    public async Task<IReadOnlyList<DecodedEvent>> GetEventsAsync(string eventName, BlockParameter fromBlock, BlockParameter toBlock, CancellationToken ct = default)
    {
        var ev = Abi.Event(eventName);
        var logs = await Eth.GetLogsAsync(new LogFilter
        {
            FromBlock = fromBlock, ToBlock = toBlock, Addresses = [Address], Topics = [new[] { ev.Topic0 }],
        }, ct).ConfigureAwait(false);
        return logs.Select(l => ev.Decode(l.Topics, l.Data)).ToArray();
    }

    private AbiFunction Resolve(string function, int argumentCount) =>
        function.Contains('(') || Abi.Functions.Count(f => f.Name == function) <= 1 ? Abi.Function(function) : Abi.Function(function, argumentCount);

    // Nodes report reverts as code 3 (geth, anvil) or -32000/-32015 with "revert" in the message.
    private static bool IsRevert(RpcException e) =>
        e.Code == 3 || e.RevertData != null || e.RpcMessage.Contains("revert", StringComparison.OrdinalIgnoreCase);

    private static async Task<Receipt> SendChecked(EthClient eth, TransactionSender sender, ContractAbi abi, string what, TxRequest request, CancellationToken ct)
    {
        Receipt receipt;
        try { receipt = await sender.SendAndWaitAsync(request, ct).ConfigureAwait(false); }
        catch (RpcException e) when (IsRevert(e)) { throw new ContractRevertException(what, abi.DecodeRevert(e.RevertData ?? []), null, e); }
        if (receipt.Succeeded) return receipt;
        // Mined but reverted (state changed between estimate and inclusion): replay it on the parent block's state to learn why.
        var reason = RevertReason.Decode([]);
        try
        {
            await eth.CallAsync(new CallRequest { From = sender.Address, To = request.To, Data = request.Data, Value = request.Value, Gas = request.GasLimit },
                BlockParameter.Number(receipt.BlockNumber - 1), ct).ConfigureAwait(false);
        }
        catch (RpcException e) when (IsRevert(e)) { reason = abi.DecodeRevert(e.RevertData ?? []); }
        throw new ContractRevertException(what, reason, receipt.TransactionHash);
    }
}
