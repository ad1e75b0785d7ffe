using OpenLedger.Primitives;

namespace OpenLedger.Evm.Tests;

/// <summary>A tiny bytecode builder for tests: pushes with the shortest PUSH, raw opcodes by byte.</summary>
internal sealed class Asm
{
    private readonly List<byte> _code = [];

    public int Length => _code.Count;
    public byte[] Build() => [.. _code];
    public string Hex => Primitives.Hex.Encode(Build(), false);

    public Asm Op(params byte[] ops) { _code.AddRange(ops); return this; }

    public Asm Push(UInt256 v)
    {
        var bytes = v.ToBigEndian();
        int skip = 0;
        while (skip < 31 && bytes[skip] == 0) skip++;
        if (v.IsZero) return Op(0x5f); // PUSH0
        _code.Add((byte)(0x5f + 32 - skip));
        _code.AddRange(bytes[skip..]);
        return this;
    }

    public Asm Push(ulong v) => Push(new UInt256(v));

    public Asm Push(Address a)
    {
        _code.Add(0x73); // PUSH20
        _code.AddRange(a.Bytes.ToArray());
        return this;
    }

    /// <summary>Init code that returns <paramref name="runtime"/> as the contract's code.</summary>
    public static byte[] Deployer(byte[] runtime)
    {
        // PUSH2 len DUP1 PUSH1 off PUSH0 CODECOPY PUSH0 RETURN
        var head = new byte[] { 0x61, (byte)(runtime.Length >> 8), (byte)runtime.Length, 0x80, 0x60, 11, 0x5f, 0x39, 0x5f, 0xf3, 0x00 };
        head[5] = (byte)(head.Length);
        return [.. head, .. runtime];
    }
}
