using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Web3.Eth;
using OpenLedger.Web3.Rpc;

namespace OpenLedger.Web3.Tests;

internal static class DevKeys
{
    // anvil's default dev accounts 5..8 (mnemonic "test test ... junk"); each test uses its own so that tests do not share nonces.
    public static readonly EthKey Key5 = EthKey.FromHex("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");
    public static readonly EthKey Key6 = EthKey.FromHex("0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e");
    public static readonly EthKey Key7 = EthKey.FromHex("0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356");
    public static readonly EthKey Key8 = EthKey.FromHex("0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97");
}

/// <summary>Nonce handling under concurrency and after outside sends, against an auto-mining anvil.</summary>
public class TransactionSenderTests(AnvilFixture anvil) : IClassFixture<AnvilFixture>
{
    private static readonly Address Sink = Address.Parse("0x000000000000000000000000000000000000f00d");
    private static readonly TransactionSenderOptions Fast = new() { PollInterval = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task Concurrent_sends_from_one_key_get_distinct_consecutive_nonces_and_all_mine()
    {
        var sender = new TransactionSender(anvil.Eth, DevKeys.Key5, AnvilFixture.ChainId, Fast);
        var start = await anvil.Eth.GetTransactionCountAsync(sender.Address, BlockParameter.Pending);
        const int n = 12;
        var sent = await Task.WhenAll(Enumerable.Range(0, n).Select(i =>
            Task.Run(() => sender.SendAsync(new TxRequest(Sink, [], new UInt256((ulong)i + 1))))));
        Assert.Equal(Enumerable.Range(0, n).Select(i => start + (ulong)i), sent.Select(t => t.Nonce).Order());
        var receipts = await Task.WhenAll(sent.Select(t => sender.WaitAsync(t)));
        Assert.All(receipts, r => Assert.True(r.Succeeded));
        Assert.Equal(start + n, await anvil.Eth.GetTransactionCountAsync(sender.Address));
    }

    [Fact]
    public async Task A_send_from_outside_the_sender_is_recovered_from_on_the_next_send()
    {
        var sender = new TransactionSender(anvil.Eth, DevKeys.Key6, AnvilFixture.ChainId, Fast);
        await sender.SendAndWaitAsync(new TxRequest(Sink, []));
        // Someone else uses the same key: the cached nonce is now stale.
        var outside = await anvil.Eth.GetTransactionCountAsync(sender.Address, BlockParameter.Pending);
        var (maxFee, tip) = await sender.EstimateFeesAsync();
        var tx = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = AnvilFixture.ChainId, Nonce = outside, MaxFeePerGas = maxFee, MaxPriorityFeePerGas = tip,
            GasLimit = 21_000, To = Sink,
        };
        tx.Sign(DevKeys.Key6);
        await anvil.Eth.SendRawTransactionAsync(tx.Encode());
        // The stale nonce is refused by the node (an RPC error, not retried); the send after it re-reads the nonce and succeeds.
        await Assert.ThrowsAsync<RpcException>(() => sender.SendAsync(new TxRequest(Sink, [])));
        var receipt = await sender.SendAndWaitAsync(new TxRequest(Sink, []));
        Assert.True(receipt.Succeeded);
        Assert.Equal(outside + 2, await anvil.Eth.GetTransactionCountAsync(sender.Address));
    }

    [Fact]
    public async Task Fees_are_twice_the_base_fee_plus_the_priority_fee()
    {
        var sender = new TransactionSender(anvil.Eth, DevKeys.Key5, AnvilFixture.ChainId, Fast);
        var (maxFee, tip) = await sender.EstimateFeesAsync();
        var baseFee = (await anvil.Eth.GetBlockByNumberAsync(BlockParameter.Latest))!.BaseFeePerGas!.Value;
        var nodeTip = UInt256.Max(await anvil.Eth.MaxPriorityFeePerGasAsync(), sender.Options.MinPriorityFee);
        Assert.Equal(nodeTip, tip);
        Assert.Equal(baseFee * new UInt256(2) + tip, maxFee);
    }

    [Theory]
    [InlineData(0UL, 1UL)]
    [InlineData(1UL, 2UL)]
    [InlineData(10UL, 11UL)]
    [InlineData(15UL, 17UL)]
    [InlineData(100UL, 110UL)]
    [InlineData(1_000_000_001UL, 1_100_000_002UL)]
    public void Bump_is_at_least_ten_percent_rounded_up(ulong fee, ulong expected) =>
        Assert.Equal(new UInt256(expected), TransactionSender.Bump(new UInt256(fee)));
}

/// <summary>Replacement, restart recovery and confirmations against an anvil that mines only on evm_mine.</summary>
public class TransactionSenderManualMiningTests(ManualMiningAnvilFixture anvil) : IClassFixture<ManualMiningAnvilFixture>
{
    private static readonly Address Sink = Address.Parse("0x000000000000000000000000000000000000f00d");

    private Task Mine() => anvil.Eth.Rpc.CallAsync("evm_mine");

    [Fact]
    public async Task Unmined_transaction_is_replaced_with_both_fees_bumped_and_the_replacement_is_mined()
    {
        var sender = new TransactionSender(anvil.Eth, DevKeys.Key7, AnvilFixture.ChainId,
            new TransactionSenderOptions { ReplaceAfter = TimeSpan.FromMilliseconds(100), PollInterval = TimeSpan.FromMilliseconds(20), MaxReplacements = 1 });
        var replaced = new TaskCompletionSource<Transaction>(TaskCreationOptions.RunContinuationsAsynchronously);
        sender.Replaced += (_, @new) => replaced.TrySetResult(@new);

        var original = await sender.SendAsync(new TxRequest(Sink, [], new UInt256(5)));
        var waiting = sender.WaitAsync(original);
        var replacement = await replaced.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Mine();
        var receipt = await waiting.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(original.Nonce, replacement.Nonce);
        Assert.True(replacement.MaxPriorityFeePerGas >= TransactionSender.Bump(original.MaxPriorityFeePerGas));
        Assert.True(replacement.MaxFeePerGas >= TransactionSender.Bump(original.MaxFeePerGas));
        // anvil's pool accepted the bump (it enforces the same 10% rule) and mined the replacement, not the original.
        Assert.Equal(replacement.Hash, receipt.TransactionHash);
        Assert.Null(await anvil.Eth.GetTransactionReceiptAsync(original.Hash));
        Assert.True(receipt.Succeeded);
    }

    [Fact]
    public async Task After_a_restart_the_next_nonce_follows_the_pending_transactions()
    {
        var before = new TransactionSender(anvil.Eth, DevKeys.Key8, AnvilFixture.ChainId);
        var start = await anvil.Eth.GetTransactionCountAsync(before.Address);
        var pending = new List<Transaction>();
        for (var i = 0; i < 3; i++) pending.Add(await before.SendAsync(new TxRequest(Sink, [], GasLimit: 21_000)));

        // A new instance (as after a process restart) knows nothing but the node's pending count.
        var after = new TransactionSender(anvil.Eth, DevKeys.Key8, AnvilFixture.ChainId, new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(20) });
        var next = await after.SendAsync(new TxRequest(Sink, [], GasLimit: 21_000));
        Assert.Equal(start + 3, next.Nonce);

        await Mine();
        foreach (var tx in pending.Append(next))
            Assert.True((await after.WaitAsync(tx).WaitAsync(TimeSpan.FromSeconds(60))).Succeeded);
        Assert.Equal(start + 4, await anvil.Eth.GetTransactionCountAsync(after.Address));
    }

    [Fact]
    public async Task Receipt_is_returned_only_after_the_requested_confirmations()
    {
        var sender = new TransactionSender(anvil.Eth, DevKeys.Key5, AnvilFixture.ChainId,
            new TransactionSenderOptions { Confirmations = 3, PollInterval = TimeSpan.FromMilliseconds(20) });
        var tx = await sender.SendAsync(new TxRequest(Sink, [], GasLimit: 21_000));
        var waiting = sender.WaitAsync(tx);
        await Mine();
        var mined = (await anvil.Eth.GetTransactionReceiptAsync(tx.Hash))!;
        await Mine();
        // One confirmation short: give the sender many poll intervals to (wrongly) return.
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        await Mine();
        var receipt = await waiting.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(mined.BlockHash, receipt.BlockHash);
        Assert.True(await anvil.Eth.BlockNumberAsync() >= receipt.BlockNumber + 2);
    }
}
