using System.Diagnostics;
using Nethereum.JsonRpc.Client;
using Newtonsoft.Json.Linq;
using OpenLedger.Primitives.Abi;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Primitives.Tests.Anvil;

/// <summary>
/// A real anvil on a free port, reached through Nethereum's JSON-RPC client (the transport only: transactions, ABI
/// encodings and decodings under test are ours), killed on dispose.
/// </summary>
public class AnvilNode : IAsyncLifetime
{
    public static readonly byte[] DevKey0 = Hex.Decode("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    public static readonly Address DevAddress0 = Address.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    public static readonly byte[] DevKey1 = Hex.Decode("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    public static readonly Address DevAddress1 = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    public const ulong ChainId = 31337;

    private Process? _process;
    private int _id;
    public RpcClient Rpc { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        int port = TestPaths.FreePort();
        var psi = new ProcessStartInfo(TestPaths.FoundryTool("anvil"), $"--host 127.0.0.1 --port {port} --silent")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        _process = Process.Start(psi) ?? throw new InvalidOperationException("anvil did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Rpc = new RpcClient(new Uri($"http://127.0.0.1:{port}"));
        for (var i = 0; ; i++)
        {
            try
            {
                await RpcAsync("eth_chainId");
                return;
            }
            catch (Exception) when (i < 300 && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task<JToken> RpcAsync(string method, params object[] args) =>
        await Rpc.SendRequestAsync<JToken>(new RpcRequest(Interlocked.Increment(ref _id), method, args)) ?? JValue.CreateNull();

    public static ulong U64(JToken t) => Convert.ToUInt64(t.Value<string>(), 16);
    public static UInt256 U256(JToken t) => UInt256.Parse(t.Value<string>()!);

    public async Task<ulong> NonceAsync(Address a) => U64(await RpcAsync("eth_getTransactionCount", a.ToString(), "pending"));
    public async Task<UInt256> BalanceAsync(Address a) => U256(await RpcAsync("eth_getBalance", a.ToString(), "latest"));
    public async Task<byte[]> CodeAsync(Address a) => Hex.Decode((await RpcAsync("eth_getCode", a.ToString(), "latest")).Value<string>()!);
    public async Task<UInt256> BaseFeeAsync() => U256((await RpcAsync("eth_getBlockByNumber", "latest", false))["baseFeePerGas"]!);

    /// <summary>Sends our encoding of a signed transaction; anvil answers with its hash.</summary>
    public async Task<Hash256> SendRawAsync(Transaction tx) => Hash256.Parse((await RpcAsync("eth_sendRawTransaction", Hex.Encode(tx.Encode()))).Value<string>()!);

    /// <summary>anvil mines on arrival, but its receipt can lag the send's answer by a moment under load.</summary>
    public async Task<JObject> ReceiptAsync(Hash256 hash)
    {
        for (var i = 0; i < 1000; i++)
        {
            if (await RpcAsync("eth_getTransactionReceipt", hash.ToString()) is JObject r) return r;
            await Task.Delay(20);
        }
        throw new TimeoutException($"no receipt for {hash}");
    }

    /// <summary>A dynamic-fee transaction from <paramref name="key"/> signed by Primitives, sent, and its receipt.</summary>
    public async Task<JObject> SendAsync(byte[] key, Address? to, byte[] data, UInt256 value = default, ulong gas = 3_000_000)
    {
        var ethKey = new EthKey(key);
        var fee = await BaseFeeAsync() * new UInt256(2) + new UInt256(1_000_000_000);
        var tx = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = ChainId, Nonce = await NonceAsync(ethKey.Address), GasLimit = gas, To = to, Data = data, Value = value,
            MaxFeePerGas = fee, MaxPriorityFeePerGas = new UInt256(1_000_000_000),
        };
        tx.Sign(ethKey);
        return await ReceiptAsync(await SendRawAsync(tx));
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }
}
