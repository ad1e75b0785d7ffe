using System.Numerics;
using BenchmarkDotNet.Attributes;
using OpenLedger.Primitives;

namespace OpenLedger.Benchmarks;

/// <summary>UInt256 against System.Numerics.BigInteger doing the same EVM operation on the same random operands.</summary>
[MemoryDiagnoser, MinColumn]
public class UInt256Benchmarks
{
    private static readonly BigInteger Mask = (BigInteger.One << 256) - 1;

    private UInt256 _a, _b, _d128, _m;
    private BigInteger _ba, _bb, _bd128, _bm;

    [GlobalSetup]
    public void Setup()
    {
        var rnd = new Random(7);
        UInt256 R() => new((ulong)rnd.NextInt64(), (ulong)rnd.NextInt64(), (ulong)rnd.NextInt64(), (ulong)rnd.NextInt64() | 1UL << 63);
        _a = R();
        _b = R();
        _m = R() >> 3;
        _d128 = R() >> 128; // a 128-bit divisor: the multi-limb Knuth path
        _ba = _a.ToBigInteger();
        _bb = _b.ToBigInteger();
        _bm = _m.ToBigInteger();
        _bd128 = _d128.ToBigInteger();
    }

    [Benchmark]
    public UInt256 Mul_UInt256() { UInt256.Multiply(_a, _b, out var r); return r; }

    [Benchmark]
    public BigInteger Mul_BigInteger() => (_ba * _bb) & Mask;

    [Benchmark]
    public UInt256 Div_UInt256() { UInt256.Divide(_a, _d128, out var r); return r; }

    [Benchmark]
    public BigInteger Div_BigInteger() => _ba / _bd128;

    [Benchmark]
    public UInt256 MulMod_UInt256() { UInt256.MulMod(_a, _b, _m, out var r); return r; }

    [Benchmark]
    public BigInteger MulMod_BigInteger() => _ba * _bb % _bm;
}
