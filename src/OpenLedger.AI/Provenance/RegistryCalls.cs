using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.AI.Provenance;

/// <summary>The DatanetRegistry and ModelRegistry calls ModelFactory makes, through Nethereum.</summary>
public static class RegistryCalls
{
    private static readonly AbiFunction VersionRoot = AbiFunction.FromSignature("versionRoot(uint256,uint64)", "(bytes32)");
    private static readonly AbiFunction Datanets = AbiFunction.FromSignature("datanets()", "(address)");
    public static readonly AbiFunction RegisterModel =
        AbiFunction.FromSignature("registerModel(uint8,string,string,bytes32,bytes32,(uint256,uint64,bytes32)[],uint128)", "(uint256)");
    private static readonly Hash256 ModelRegisteredTopic = Keccak256.Compute("ModelRegistered(uint256,address,uint8,string,string,uint128)"u8);

    /// <summary>ModelRegistry's custom errors, to name what a refused registration got wrong.</summary>
    private static readonly AbiError[] Errors =
    [
        AbiError.FromSignature("UnknownDatanetVersion(uint256,uint64,bytes32)"), AbiError.FromSignature("TooManyRefs(uint256)"),
        AbiError.FromSignature("TextTooLong()"), AbiError.FromSignature("ZeroValue()"),
    ];

    public static async Task<Hash256> VersionRootAsync(ChainEndpoint chain, ulong datanetId, ulong version, CancellationToken ct = default)
    {
        var r = await CallAsync(chain.RpcUrl, chain.Registry, VersionRoot.EncodeCall(new UInt256(datanetId), new UInt256(version)), null, $"DatanetRegistry.versionRoot({datanetId}, {version})");
        return new Hash256((byte[])VersionRoot.DecodeOutput(r)[0]!);
    }

    /// <summary>The DatanetRegistry a ModelRegistry checks refs against.</summary>
    public static async Task<Address> DatanetRegistryOfAsync(string rpcUrl, Address modelRegistry)
    {
        var r = await CallAsync(rpcUrl, modelRegistry, Datanets.EncodeCall(), null, $"ModelRegistry.datanets() at {modelRegistry}");
        return (Address)Datanets.DecodeOutput(r)[0]!;
    }

    /// <summary>Sends registerModel from the key's account and returns the new model id (from ModelRegistered) and the transaction hash.</summary>
    public static async Task<(ulong ModelId, Hash256 TxHash)> RegisterAsync(string rpcUrl, Address modelRegistry, byte[] privateKey, byte[] calldata)
    {
        var web3 = new Nethereum.Web3.Web3(rpcUrl);
        ulong chainId = (ulong)(await Rpc(() => web3.Eth.ChainId.SendRequestAsync(), rpcUrl)).Value;
        var account = new Nethereum.Web3.Accounts.Account(Hex.Encode(privateKey), new BigInteger(chainId));
        // a dry run first: a revert comes back with its reason instead of a failed transaction
        await CallAsync(rpcUrl, modelRegistry, calldata, account.Address, "ModelRegistry.registerModel");
        var signer = new Nethereum.Web3.Web3(account, rpcUrl);
        signer.TransactionManager.UseLegacyAsDefault = false;
        var estimate = await Rpc(() => web3.Eth.Transactions.EstimateGas.SendRequestAsync(
            new CallInput { To = modelRegistry.ToString(), Data = Hex.Encode(calldata), From = account.Address }), rpcUrl);
        var input = new TransactionInput(Hex.Encode(calldata), modelRegistry.ToString(), account.Address,
            new HexBigInteger(estimate.Value * 5 / 4), new HexBigInteger(0)); // headroom over the estimate
        var receipt = await Rpc(() => signer.TransactionManager.SendTransactionAndWaitForReceiptAsync(input), rpcUrl);
        if (receipt.Status?.Value != 1) throw new InvalidOperationException($"registerModel transaction {receipt.TransactionHash} reverted");
        var log = receipt.Logs?.FirstOrDefault(l => l.Topics is { Length: > 1 } && Hash256.Parse(l.Topics[0].ToString()!) == ModelRegisteredTopic
            && string.Equals(l.Address, modelRegistry.ToString(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidDataException($"transaction {receipt.TransactionHash} has no ModelRegistered log from {modelRegistry}");
        return ((ulong)new HexBigInteger(log.Topics[1].ToString()).Value, Hash256.Parse(receipt.TransactionHash));
    }

    private static async Task<byte[]> CallAsync(string rpcUrl, Address to, byte[] data, string? from, string what)
    {
        var web3 = new Nethereum.Web3.Web3(rpcUrl);
        var input = new CallInput { To = to.ToString(), Data = Hex.Encode(data), From = from };
        try
        {
            string hex = await web3.Eth.Transactions.Call.SendRequestAsync(input, BlockParameter.CreateLatest());
            return Hex.Decode(hex);
        }
        catch (Exception e) when (RevertData(e) is { } revert)
        {
            throw new InvalidOperationException($"{what} reverted: {DescribeRevert(revert)}");
        }
        catch (Exception e) when (e is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException or Nethereum.JsonRpc.Client.RpcClientTimeoutException or Nethereum.JsonRpc.Client.RpcResponseException)
        {
            throw new InvalidOperationException($"{what}: the node at {rpcUrl} failed: {e.Message}");
        }
    }

    private static async Task<T> Rpc<T>(Func<Task<T>> call, string rpcUrl)
    {
        try { return await call(); }
        catch (Exception e) when (e is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException or Nethereum.JsonRpc.Client.RpcClientTimeoutException or Nethereum.JsonRpc.Client.RpcResponseException)
        {
            throw new InvalidOperationException($"the node at {rpcUrl} failed: {e.Message}");
        }
    }

    private static byte[]? RevertData(Exception e)
    {
        string? hex = e switch
        {
            Nethereum.Contracts.SmartContractCustomErrorRevertException c => c.ExceptionEncodedData,
            Nethereum.JsonRpc.Client.RpcResponseException r => r.RpcError?.Data?.ToString(),
            _ => null,
        };
        return Hex.TryDecode(hex?.Trim('"'), out var b) && b.Length >= 4 ? b : null;
    }

    private static string DescribeRevert(byte[] data)
    {
        foreach (var err in Errors)
            if (err.Matches(data))
            {
                var args = err.Decode(data);
                return err.Name switch
                {
                    "UnknownDatanetVersion" => $"UnknownDatanetVersion: Datanet {args[0]} version {args[1]} has no published root {Hex.Encode((byte[])args[2]!)} on the chain",
                    "TooManyRefs" => $"TooManyRefs: {args[0]} Datanet versions, at most 16",
                    "TextTooLong" => "TextTooLong: the base model name or metadata URI is over 256 bytes",
                    "ZeroValue" => "ZeroValue: the adapter hash or base model name is empty",
                    _ => err.Name,
                };
            }
        return RevertReason.Decode(data).ToString();
    }
}
