using BenchmarkDotNet.Attributes;
using OpenLedger.Primitives.Crypto;

namespace OpenLedger.Benchmarks;

/// <summary>
/// ecrecover throughput on one core: libsecp256k1 (P/Invoke) against the BouncyCastle fallback, same inputs.
/// Ops/s per core = 1e9 / Mean(ns). Run: dotnet run -c Release --project bench/OpenLedger.Benchmarks -- --filter '*Ecrecover*' --job short
/// </summary>
[MemoryDiagnoser, MinColumn]
public class EcrecoverBenchmarks
{
    private const int Batch = 64;

    [Params("libsecp256k1", "BouncyCastle")]
    public string Backend { get; set; } = "libsecp256k1";

    private Secp256k1Backend _backend = Secp256k1Backend.Managed;
    private readonly byte[][] _hashes = new byte[Batch][];
    private readonly byte[][] _signatures = new byte[Batch][];
    private readonly int[] _recoveryIds = new int[Batch];
    private readonly byte[][] _keys = new byte[Batch][];
    private readonly byte[] _pub = new byte[64];

    [GlobalSetup]
    public void Setup()
    {
        _backend = Backend == "libsecp256k1"
            ? Secp256k1Backend.Native ?? throw new InvalidOperationException("libsecp256k1 not loadable on this machine")
            : Secp256k1Backend.Managed;
        var rng = new Random(1);
        for (int i = 0; i < Batch; i++)
        {
            _keys[i] = new byte[32];
            do rng.NextBytes(_keys[i]); while (!Secp256k1Backend.Managed.IsValidPrivateKey(_keys[i]));
            _hashes[i] = new byte[32];
            rng.NextBytes(_hashes[i]);
            _signatures[i] = new byte[64];
            if (!Secp256k1Backend.Managed.TrySign(_hashes[i], _keys[i], _signatures[i], out _recoveryIds[i]))
                throw new InvalidOperationException("signing failed");
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Recover()
    {
        int ok = 0;
        for (int i = 0; i < Batch; i++)
            if (_backend.TryRecover(_hashes[i], _signatures[i], _recoveryIds[i], _pub)) ok++;
        return ok;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Sign()
    {
        int ok = 0;
        for (int i = 0; i < Batch; i++)
            if (_backend.TrySign(_hashes[i], _keys[i], _signatures[i], out _)) ok++;
        return ok;
    }
}
