using BenchmarkDotNet.Attributes;
using OpenLedger.Primitives;
using Org.BouncyCastle.Crypto.Digests;

namespace OpenLedger.Benchmarks;

/// <summary>Keccak-256 one-shot hashing, ours against BouncyCastle's KeccakDigest, same inputs, same run.</summary>
[MemoryDiagnoser, MinColumn]
public class KeccakBenchmarks
{
    private readonly byte[] _output = new byte[32];
    private readonly KeccakDigest _bouncy = new(256);
    private byte[] _input = [];

    [Params(32, 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = new byte[Size];
        new Random(1).NextBytes(_input);
    }

    [Benchmark(Baseline = true)]
    public byte[] BouncyCastle()
    {
        _bouncy.BlockUpdate(_input, 0, _input.Length);
        _bouncy.DoFinal(_output, 0);
        return _output;
    }

    [Benchmark]
    public byte[] OpenLedger()
    {
        Keccak256.Hash(_input, _output);
        return _output;
    }
}
