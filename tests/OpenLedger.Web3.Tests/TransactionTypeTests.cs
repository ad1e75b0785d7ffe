using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Web3.Eth;

namespace OpenLedger.Web3.Tests;

/// <summary>Every transaction type anvil takes as raw bytes, signed by our code; and anvil's own transactions, decoded and recovered by our code.</summary>
public class TransactionTypeTests(AnvilFixture anvil) : IClassFixture<AnvilFixture>
{
    private static readonly EthKey Sender = new(Hex.Decode("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a")); // anvil dev account 2
    private static readonly EthKey Authority = new(Hex.Decode("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6")); // dev account 3
    private static readonly Address Recipient = Address.Parse("0x000000000000000000000000000000000000bEEF");
    private EthClient Eth => anvil.Eth;

    private async Task<Transaction> NewTx(TxType type)
    {
        var block = (await Eth.GetBlockByNumberAsync(BlockParameter.Latest))!;
        var fee = block.BaseFeePerGas!.Value * new UInt256(2) + new UInt256(1_000_000_000);
        return new Transaction
        {
            Type = type,
            ChainId = AnvilFixture.ChainId,
            Nonce = await Eth.GetTransactionCountAsync(Sender.Address, BlockParameter.Pending),
            GasPrice = fee,
            MaxFeePerGas = fee,
            MaxPriorityFeePerGas = new UInt256(1_000_000_000),
            GasLimit = 100_000,
            To = Recipient,
            Value = new UInt256(12345),
            Data = [1, 2, 3],
        };
    }

    /// <summary>Sends a signed transaction, checks the receipt, and checks that the node's copy decodes and recovers to the sender.</summary>
    private async Task<Receipt> SendAndVerify(Transaction tx)
    {
        tx.Sign(Sender);
        var hash = await Eth.SendRawTransactionAsync(tx.Encode());
        Assert.Equal(tx.Hash, hash);
        var receipt = await WaitForReceipt(hash);
        Assert.True(receipt.Succeeded);
        Assert.Equal((byte)tx.Type, receipt.Type);
        Assert.Equal(Sender.Address, receipt.From);
        await AssertNodeCopyRecovers(hash, Sender.Address);
        return receipt;
    }

    /// <summary>anvil mines on arrival, but its receipt can lag the send's answer by a moment under load.</summary>
    private async Task<Receipt> WaitForReceipt(Hash256 hash)
    {
        for (var i = 0; i < 1000; i++)
        {
            if (await Eth.GetTransactionReceiptAsync(hash) is { } r) return r;
            await Task.Delay(20);
        }
        throw new TimeoutException($"no receipt for {hash}");
    }

    private async Task AssertNodeCopyRecovers(Hash256 hash, Address expectedFrom)
    {
        var fetched = (await Eth.GetTransactionByHashAsync(hash))!;
        Assert.Equal(expectedFrom, fetched.From);
        var raw = (await Eth.GetRawTransactionByHashAsync(hash))!;
        var decoded = TxDecoder.Decode(raw);
        Assert.Equal(hash, decoded.Hash);
        Assert.Equal((TxType)fetched.Type, decoded.Type);
        Assert.Equal(fetched.Nonce, decoded.Nonce);
        Assert.Equal(expectedFrom, decoded.RecoverSender());
    }

    [Fact]
    public async Task Legacy_with_eip155_chain_id() => await SendAndVerify(await NewTx(TxType.Legacy));

    [Fact]
    public async Task Legacy_without_chain_id_pre_eip155()
    {
        var tx = await NewTx(TxType.Legacy);
        tx.ChainId = null;
        await SendAndVerify(tx);
        Assert.True(tx.V == new UInt256(27) || tx.V == new UInt256(28));
    }

    [Fact]
    public async Task Access_list_eip2930()
    {
        var tx = await NewTx(TxType.AccessList);
        tx.AccessList = [new AccessListItem(Recipient, Hash256.Zero, new Hash256(Enumerable.Repeat((byte)1, 32).ToArray()))];
        await SendAndVerify(tx);
    }

    [Fact]
    public async Task Dynamic_fee_eip1559_contract_creation()
    {
        var tx = await NewTx(TxType.DynamicFee);
        tx.To = null;
        tx.Value = UInt256.Zero;
        tx.Data = Hex.Decode("0x600a600c600039600a6000f3602a60005260206000f3"); // returns a runtime that returns 42
        var receipt = await SendAndVerify(tx);
        var created = receipt.ContractAddress!.Value;
        Assert.Equal(Hex.Decode("0x602a60005260206000f3"), await Eth.GetCodeAsync(created));
    }

    [Fact]
    public async Task Set_code_eip7702_delegates_the_authority()
    {
        var delegateTo = Address.Parse("0x00000000000000000000000000000000000C0DE1");
        var authorityNonce = await Eth.GetTransactionCountAsync(Authority.Address, BlockParameter.Pending);
        var tx = await NewTx(TxType.SetCode);
        tx.To = Authority.Address;
        tx.AuthorizationList = [AuthorizationTuple.Sign(new UInt256(AnvilFixture.ChainId), delegateTo, authorityNonce, Authority)];
        await SendAndVerify(tx);
        // EIP-7702 delegation designator: 0xef0100 || address.
        Assert.Equal([0xef, 0x01, 0x00, .. delegateTo.ToArray()], await Eth.GetCodeAsync(Authority.Address));
    }

    [Fact]
    public async Task Anvils_own_signed_transactions_decode_and_recover_to_their_sender()
    {
        var from = Address.Parse("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"); // dev account 4, unlocked in anvil
        var legacy = new Dictionary<string, string> { ["from"] = from.ToLowerHex(), ["to"] = Recipient.ToLowerHex(), ["value"] = "0x1", ["gasPrice"] = "0x77359400" };
        var eip1559 = new Dictionary<string, string> { ["from"] = from.ToLowerHex(), ["to"] = Recipient.ToLowerHex(), ["value"] = "0x2", ["input"] = "0xdeadbeef" };
        foreach (var request in new[] { legacy, eip1559 })
        {
            var hash = Hash256.Parse((await Eth.Rpc.CallAsync("eth_sendTransaction", request)).GetString()!);
            await WaitForReceipt(hash);
            await AssertNodeCopyRecovers(hash, from);
        }
    }
}
