using System.Text.Json;
using OpenLedger.Primitives;
using OpenLedger.Web3.Eth;
using OpenLedger.Web3.Rpc;

namespace OpenLedger.Web3.Tests;

/// <summary>Typed eth_* calls, batches and RPC errors against a real anvil.</summary>
public class EthClientTests(AnvilFixture anvil) : IClassFixture<AnvilFixture>
{
    private EthClient Eth => anvil.Eth;

    [Fact]
    public async Task Reads_chain_id_block_number_balance_nonce_and_fees()
    {
        Assert.Equal(AnvilFixture.ChainId, await Eth.ChainIdAsync());
        _ = await Eth.BlockNumberAsync();
        var balance = await Eth.GetBalanceAsync(AnvilFixture.DevAddress1, BlockParameter.Number(0));
        Assert.Equal(new UInt256(10_000) * new UInt256(1_000_000_000_000_000_000UL), balance); // anvil funds dev accounts with 10000 ETH
        Assert.Equal(0UL, await Eth.GetTransactionCountAsync(AnvilFixture.DevAddress1, BlockParameter.Number(0)));
        Assert.False((await Eth.GasPriceAsync()).IsZero);
        _ = await Eth.MaxPriorityFeePerGasAsync();
    }

    [Fact]
    public async Task Reads_genesis_block_header_and_fee_history()
    {
        var genesis = await Eth.GetBlockByNumberAsync(BlockParameter.Earliest);
        Assert.NotNull(genesis);
        Assert.Equal(0UL, genesis.Number);
        Assert.Equal(Hash256.Zero, genesis.ParentHash);
        Assert.NotNull(genesis.BaseFeePerGas);
        Assert.Equal(genesis.Hash, (await Eth.GetBlockByNumberAsync(0UL))!.Hash);
        Assert.Null(await Eth.GetBlockByNumberAsync(BlockParameter.Number(1_000_000)));

        var history = await Eth.FeeHistoryAsync(1, BlockParameter.Number(0), [50.0]);
        Assert.Equal(0UL, history.OldestBlock);
        Assert.Equal(2, history.BaseFeePerGas.Count); // the block's and the next block's
        Assert.Equal(genesis.BaseFeePerGas, history.BaseFeePerGas[0]);
        Assert.Single(history.GasUsedRatio);
        Assert.Single(history.Reward);
    }

    [Fact]
    public async Task Empty_account_has_no_code_zero_storage_and_an_empty_proof()
    {
        var nobody = Address.Parse("0x000000000000000000000000000000000000dEaD");
        Assert.Empty(await Eth.GetCodeAsync(nobody));
        Assert.Equal(Hash256.Zero, await Eth.GetStorageAtAsync(nobody, UInt256.Zero));
        var proof = await Eth.GetProofAsync(nobody, [UInt256.One]);
        Assert.Equal(nobody, proof.Address);
        Assert.Equal(0UL, proof.Nonce);
        Assert.Equal(Keccak256.EmptyHash, proof.CodeHash);
        Assert.NotEmpty(proof.AccountProofNodes);
        var slot = Assert.Single(proof.StorageProofs);
        Assert.Equal(UInt256.One, slot.Key);
        Assert.True(slot.Value.IsZero);
    }

    [Fact]
    public async Task Funded_account_proof_starts_at_the_state_root()
    {
        // anvil reports the empty root for its genesis block, so prove against a mined block.
        await Eth.Rpc.CallAsync("evm_mine");
        var block = (await Eth.GetBlockByNumberAsync(BlockParameter.Latest))!;
        var proof = await Eth.GetProofAsync(AnvilFixture.DevAddress1, [], block.Number);
        Assert.Equal(await Eth.GetBalanceAsync(AnvilFixture.DevAddress1, block.Number), proof.Balance);
        // The first node of an account proof is the state trie's root node.
        Assert.Equal(block.StateRoot, Keccak256.Compute(proof.AccountProofNodes[0]));
    }

    [Fact]
    public async Task Batch_returns_each_answer_in_order_with_per_call_errors()
    {
        var answers = await Eth.Rpc.BatchAsync([
            new RpcRequest("eth_chainId"),
            new RpcRequest("eth_getBalance", AnvilFixture.DevAddress1.ToLowerHex(), "0x0"),
            new RpcRequest("openledger_noSuchMethod"),
            new RpcRequest("eth_getBlockByNumber", "0x0", false),
        ]);
        Assert.Equal("0x7a69", answers[0].Result.GetString());
        Assert.Equal(await Eth.GetBalanceAsync(AnvilFixture.DevAddress1, 0UL), Quantity.ParseUInt256(answers[1].Result.GetString()!));
        Assert.Equal(-32601, answers[2].Error!.Code);
        Assert.Equal(JsonValueKind.Object, answers[3].Result.ValueKind);
    }

    [Fact]
    public async Task Unknown_method_is_an_rpc_error_and_is_not_retried()
    {
        var counter = new CountingHandler();
        using var rpc = new JsonRpcClient(new Uri(anvil.Url), new JsonRpcClientOptions { MaxRetries = 5, InitialBackoff = TimeSpan.FromMilliseconds(1) }, counter);
        var ex = await Assert.ThrowsAsync<RpcException>(() => rpc.CallAsync("openledger_noSuchMethod"));
        Assert.Equal(-32601, ex.Code);
        Assert.Equal("openledger_noSuchMethod", ex.Method);
        Assert.Equal(1, counter.Attempts);
    }

    [Fact]
    public async Task Invalid_params_error_carries_the_node_message()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Eth.Rpc.CallAsync("eth_getBalance", "0x1234", "latest"));
        Assert.Equal(-32602, ex.Code);
        Assert.False(string.IsNullOrEmpty(ex.RpcMessage));
    }

    [Fact]
    public async Task Sending_garbage_raw_transaction_is_rejected_with_an_rpc_error()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Eth.SendRawTransactionAsync(new byte[] { 0x02, 0xc0 }));
        Assert.NotEqual(0, ex.Code);
    }

    [Fact]
    public async Task Logs_of_an_empty_range_are_empty()
    {
        var logs = await Eth.GetLogsAsync(new LogFilter { FromBlock = 0UL, ToBlock = 0UL });
        Assert.Empty(logs);
    }
}

/// <summary>Counts attempts while passing them on to a real socket handler.</summary>
internal sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    public int Attempts;
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        Interlocked.Increment(ref Attempts);
        return base.SendAsync(request, ct);
    }
}
