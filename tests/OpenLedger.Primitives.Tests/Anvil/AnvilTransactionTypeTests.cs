using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using Newtonsoft.Json.Linq;

namespace OpenLedger.Primitives.Tests.Anvil;

/// <summary>
/// Every transaction type anvil takes as raw bytes, signed by our code; and anvil's own transactions, decoded and
/// recovered by our code. (Moved from the retired OpenLedger.Web3 tests; the transport is Nethereum's JSON-RPC client.)
/// </summary>
public class AnvilTransactionTypeTests(AnvilNode anvil) : IClassFixture<AnvilNode>
{
    private static readonly EthKey Sender = new(Hex.Decode("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a")); // anvil dev account 2
    private static readonly EthKey Authority = new(Hex.Decode("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6")); // dev account 3
    private static readonly Address Recipient = Address.Parse("0x000000000000000000000000000000000000bEEF");

    private async Task<Transaction> NewTx(TxType type)
    {
        var fee = await anvil.BaseFeeAsync() * new UInt256(2) + new UInt256(1_000_000_000);
        return new Transaction
        {
            Type = type,
            ChainId = AnvilNode.ChainId,
            Nonce = await anvil.NonceAsync(Sender.Address),
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
    private async Task<JObject> SendAndVerify(Transaction tx)
    {
        tx.Sign(Sender);
        var hash = await anvil.SendRawAsync(tx);
        Assert.Equal(tx.Hash, hash);
        var receipt = await anvil.ReceiptAsync(hash);
        Assert.Equal(1UL, AnvilNode.U64(receipt["status"]!));
        Assert.Equal((ulong)tx.Type, AnvilNode.U64(receipt["type"]!));
        Assert.Equal(Sender.Address, Address.Parse(receipt["from"]!.Value<string>()!));
        await AssertNodeCopyRecovers(hash, Sender.Address);
        return receipt;
    }

    private async Task AssertNodeCopyRecovers(Hash256 hash, Address expectedFrom)
    {
        var fetched = await anvil.RpcAsync("eth_getTransactionByHash", hash.ToString());
        Assert.Equal(expectedFrom, Address.Parse(fetched["from"]!.Value<string>()!));
        var raw = Hex.Decode((await anvil.RpcAsync("eth_getRawTransactionByHash", hash.ToString())).Value<string>()!);
        var decoded = TxDecoder.Decode(raw);
        Assert.Equal(hash, decoded.Hash);
        Assert.Equal(AnvilNode.U64(fetched["type"]!), (ulong)decoded.Type);
        Assert.Equal(AnvilNode.U64(fetched["nonce"]!), decoded.Nonce);
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
        var created = Address.Parse(receipt["contractAddress"]!.Value<string>()!);
        Assert.Equal(Hex.Decode("0x602a60005260206000f3"), await anvil.CodeAsync(created));
    }

    [Fact]
    public async Task Set_code_eip7702_delegates_the_authority()
    {
        var delegateTo = Address.Parse("0x00000000000000000000000000000000000C0DE1");
        var authorityNonce = await anvil.NonceAsync(Authority.Address);
        var tx = await NewTx(TxType.SetCode);
        tx.To = Authority.Address;
        tx.AuthorizationList = [AuthorizationTuple.Sign(new UInt256(AnvilNode.ChainId), delegateTo, authorityNonce, Authority)];
        await SendAndVerify(tx);
        // EIP-7702 delegation designator: 0xef0100 || address.
        Assert.Equal([0xef, 0x01, 0x00, .. delegateTo.ToArray()], await anvil.CodeAsync(Authority.Address));
    }

    [Fact]
    public async Task Anvils_own_signed_transactions_decode_and_recover_to_their_sender()
    {
        var from = Address.Parse("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"); // dev account 4, unlocked in anvil
        var legacy = new Dictionary<string, string> { ["from"] = from.ToLowerHex(), ["to"] = Recipient.ToLowerHex(), ["value"] = "0x1", ["gasPrice"] = "0x77359400" };
        var eip1559 = new Dictionary<string, string> { ["from"] = from.ToLowerHex(), ["to"] = Recipient.ToLowerHex(), ["value"] = "0x2", ["input"] = "0xdeadbeef" };
        foreach (var request in new[] { legacy, eip1559 })
        {
            var hash = Hash256.Parse((await anvil.RpcAsync("eth_sendTransaction", request)).Value<string>()!);
            await anvil.ReceiptAsync(hash);
            await AssertNodeCopyRecovers(hash, from);
        }
    }
}
