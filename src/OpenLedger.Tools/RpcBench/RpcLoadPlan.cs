using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Primitives.Wallet;

namespace OpenLedger.Tools.RpcBench;

/// <summary>One pre-signed transaction of a load run: its raw JSON-RPC request body and hash.</summary>
public sealed record SignedLoadTx(byte[] RequestBody, string Hash, Address Sender);

/// <summary>
/// The transactions of a run, signed before the clock starts: many senders from the test mnemonic (so
/// no per-sender pool limit binds), each with a run of consecutive nonces; interleaved so the stream
/// submits nonce n of every sender before nonce n+1 of any.
/// </summary>
public sealed class RpcLoadPlan
{
    public const ulong ChainId = 1330660686;
    // Sustained full blocks raise the EIP-1559 base fee 12.5% per block: the cap must outlast a long run at 30M gas
    // (1 gwei -> 100 gwei in ~40 full blocks). Senders hold 1e24 wei, so 1e6 gwei x 80k gas upfront is affordable.
    public static readonly UInt256 MaxFee = new(1_000_000_000_000_000);
    public static readonly UInt256 Tip = new(1_000_000_000);

    private int _recipients; // every transaction of a plan pays a fresh recipient

    public IReadOnlyList<byte[]> Keys { get; }
    public IReadOnlyList<Address> Senders { get; }

    public RpcLoadPlan(int senders)
    {
        Keys = DevAccounts.PrivateKeys(senders);
        Senders = Keys.Select(k => Secp256k1.AddressFromPrivateKey(k)).ToArray();
    }

    public static SignedLoadTx Sign(byte[] key, ulong nonce, Address? to, UInt256 value, byte[] data, ulong gas)
    {
        var tx = new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = ChainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = Tip,
            MaxFeePerGas = MaxFee,
            GasLimit = gas,
            To = to,
            Value = value,
            Data = data,
        };
        tx.Sign(key);
        var body = System.Text.Encoding.UTF8.GetBytes(
            $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[\"{Hex.Encode(tx.Encode())}\"]}}");
        return new SignedLoadTx(body, tx.Hash.ToString(), Secp256k1.AddressFromPrivateKey(key));
    }

    /// <summary>A fresh recipient per transaction (0xee…index): transfers and token transfers create new accounts/slots, as real traffic does.</summary>
    public static Address Recipient(int index)
    {
        var b = new byte[20];
        b[0] = 0xee;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(16), index);
        return new Address(b);
    }

    /// <summary><paramref name="count"/> plain transfers, round-robin over senders starting at each sender's <paramref name="nonces"/>.</summary>
    public List<SignedLoadTx> Transfers(int count, ulong[] nonces)
    {
        int recipientOffset = TakeRecipients(count);
        var result = new SignedLoadTx[count];
        Parallel.For(0, count, i =>
        {
            int s = i % Senders.Count;
            ulong nonce = nonces[s] + (ulong)(i / Senders.Count);
            result[i] = Sign(Keys[s], nonce, Recipient(recipientOffset + i), UInt256.One, [], 21_000);
        });
        Advance(nonces, count);
        return [.. result];
    }

    /// <summary><paramref name="count"/> ERC-20 transfer(recipient, 1) calls on <paramref name="token"/>.</summary>
    public List<SignedLoadTx> TokenTransfers(Address token, int count, ulong[] nonces)
    {
        int recipientOffset = TakeRecipients(count);
        var result = new SignedLoadTx[count];
        Parallel.For(0, count, i =>
        {
            int s = i % Senders.Count;
            ulong nonce = nonces[s] + (ulong)(i / Senders.Count);
            result[i] = Sign(Keys[s], nonce, token, UInt256.Zero, TransferCall(Recipient(recipientOffset + i), UInt256.One), 80_000);
        });
        Advance(nonces, count);
        return [.. result];
    }

    public static byte[] TransferCall(Address to, UInt256 amount)
    {
        var data = new byte[4 + 64];
        data[0] = 0xa9; data[1] = 0x05; data[2] = 0x9c; data[3] = 0xbb; // transfer(address,uint256)
        to.Bytes.CopyTo(data.AsSpan(4 + 12));
        amount.ToBigEndian().CopyTo(data.AsSpan(4 + 32));
        return data;
    }

    private int TakeRecipients(int count)
    {
        int first = _recipients;
        _recipients += count;
        return first;
    }

    private void Advance(ulong[] nonces, int count)
    {
        for (int s = 0; s < Senders.Count; s++)
            nonces[s] += (ulong)(count / Senders.Count + (s < count % Senders.Count ? 1 : 0));
    }
}
