using BenchmarkDotNet.Attributes;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Rlp;
using RlpCodec = OpenLedger.Primitives.Rlp.Rlp;

namespace OpenLedger.Benchmarks;

/// <summary>Strict typed decode and encode of an EIP-1559 transaction-shaped list (12 fields, one access-list entry, 68-byte calldata).</summary>
[MemoryDiagnoser, MinColumn]
public class RlpBenchmarks
{
    private byte[] _encoded = [];
    private readonly byte[] _buffer = new byte[512];
    private Address _to;
    private UInt256 _value, _r, _s;
    private byte[] _data = [];
    private Hash256 _slot;

    [GlobalSetup]
    public void Setup()
    {
        _to = Address.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        _value = UInt256.Parse("1000000000000000000");
        _data = new byte[68];
        new Random(1).NextBytes(_data);
        _r = UInt256.Parse("0x" + new string('a', 64));
        _s = UInt256.Parse("0x" + new string('7', 64));
        _slot = Keccak256.Compute("slot"u8);
        int n = Encode();
        _encoded = _buffer[..n];
    }

    [Benchmark]
    public int Encode()
    {
        int slots = RlpCodec.LengthOf(_slot);
        int entry = RlpCodec.LengthOf(_to) + RlpCodec.LengthOfList(slots);
        int accessList = RlpCodec.LengthOfList(entry);
        int payload = RlpCodec.LengthOf(1UL) + RlpCodec.LengthOf(9UL) + RlpCodec.LengthOf(2_000_000_000UL)
            + RlpCodec.LengthOf(30_000_000_000UL) + RlpCodec.LengthOf(21_000UL) + RlpCodec.LengthOf(_to)
            + RlpCodec.LengthOf(_value) + RlpCodec.LengthOf(_data) + RlpCodec.LengthOfList(accessList)
            + RlpCodec.LengthOf(1UL) + RlpCodec.LengthOf(_r) + RlpCodec.LengthOf(_s);
        var w = new RlpWriter(_buffer);
        w.WriteListHeader(payload);
        w.WriteUInt64(1); w.WriteUInt64(9); w.WriteUInt64(2_000_000_000); w.WriteUInt64(30_000_000_000); w.WriteUInt64(21_000);
        w.WriteAddress(_to); w.WriteUInt256(_value); w.WriteBytes(_data);
        w.WriteListHeader(accessList); w.WriteListHeader(entry); w.WriteAddress(_to); w.WriteListHeader(slots); w.WriteHash(_slot);
        w.WriteUInt64(1); w.WriteUInt256(_r); w.WriteUInt256(_s);
        return w.Position;
    }

    [Benchmark]
    public UInt256 DecodeTyped()
    {
        var outer = new RlpReader(_encoded);
        var tx = outer.EnterList();
        outer.End();
        ulong chainId = tx.ReadUInt64(), nonce = tx.ReadUInt64(), tip = tx.ReadUInt64(), maxFee = tx.ReadUInt64(), gas = tx.ReadUInt64();
        var to = tx.ReadAddress();
        var value = tx.ReadUInt256();
        var data = tx.ReadBytes();
        var al = tx.EnterList();
        while (al.HasMore)
        {
            var e = al.EnterList();
            e.ReadAddress();
            var slots = e.EnterList();
            while (slots.HasMore) slots.ReadHash();
            e.End();
        }
        ulong yParity = tx.ReadUInt64();
        var r = tx.ReadUInt256();
        var s = tx.ReadUInt256();
        tx.End();
        return r + s + value + (chainId + nonce + tip + maxFee + gas + yParity + (ulong)data.Length + to.Bytes[0]);
    }

    [Benchmark]
    public RlpItem DecodeTree() => RlpCodec.Decode(_encoded);
}
