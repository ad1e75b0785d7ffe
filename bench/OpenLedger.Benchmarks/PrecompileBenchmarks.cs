using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using OpenLedger.Evm.Precompiles;
using OpenLedger.Primitives.Crypto;

namespace OpenLedger.Benchmarks;

/// <summary>
/// Gas throughput of the precompiles on representative inputs, with ecrecover (0x01, 3000 gas) in the same run as
/// the reference: the "Mgas/s" column is gas per call / the fastest iteration's time per call (the best guide on a
/// shared machine; Mean is reported too), "x ecrecover" its ratio to ecrecover's.
/// Run: dotnet run -c Release --project bench/OpenLedger.Benchmarks -- --filter '*PrecompileBenchmarks*'
/// </summary>
[Config(typeof(GasConfig))]
public class PrecompileBenchmarks
{
    private static readonly Dictionary<string, (IPrecompile Precompile, byte[] Input)> Cases = BuildCases();

    /// <summary>Gas charged per call of each benchmark, by method name (for the gas/s columns).</summary>
    internal static readonly Dictionary<string, long> GasPerCall =
        Cases.ToDictionary(c => c.Key, c => c.Value.Precompile.GasCost(c.Value.Input));

    private static byte[] Run(string name)
    {
        var (p, input) = Cases[name];
        if (!p.TryRun(input, out var output)) throw new InvalidOperationException(name + " failed");
        return output;
    }

    [Benchmark(Baseline = true)] public byte[] EcRecover() => Run(nameof(EcRecover));
    [Benchmark] public byte[] ModExp256() => Run(nameof(ModExp256));
    [Benchmark] public byte[] ModExp1024() => Run(nameof(ModExp1024));
    [Benchmark] public byte[] ModExp2048() => Run(nameof(ModExp2048));
    [Benchmark] public byte[] Bn254Add() => Run(nameof(Bn254Add));
    [Benchmark] public byte[] Bn254Mul() => Run(nameof(Bn254Mul));
    [Benchmark] public byte[] Bn254Pairing2() => Run(nameof(Bn254Pairing2));
    [Benchmark] public byte[] Bn254Pairing4() => Run(nameof(Bn254Pairing4));
    [Benchmark] public byte[] Blake2f12Rounds() => Run(nameof(Blake2f12Rounds));
    [Benchmark] public byte[] PointEvaluation() => Run(nameof(PointEvaluation));

    private static byte[] Word(BigInteger v)
    {
        var w = new byte[32];
        var b = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        b.CopyTo(w, 32 - b.Length);
        return w;
    }

    private static Dictionary<string, (IPrecompile, byte[])> BuildCases()
    {
        var rng = new Random(2024);
        byte[] Rand(int n)
        {
            var b = new byte[n];
            rng.NextBytes(b);
            return b;
        }

        var cases = new Dictionary<string, (IPrecompile, byte[])>();

        // ecrecover: a valid signature over a random hash.
        byte[] key = Rand(32), hash = Rand(32), rs = new byte[64];
        if (!Secp256k1.Backend.TrySign(hash, key, rs, out int recId)) throw new InvalidOperationException("sign");
        cases[nameof(EcRecover)] = (new EcRecoverPrecompile(), [.. hash, .. Word(27 + recId), .. rs]);

        // modexp: odd modulus, base and exponent as long as the modulus.
        foreach (var (name, bytes) in new[] { (nameof(ModExp256), 32), (nameof(ModExp1024), 128), (nameof(ModExp2048), 256) })
        {
            byte[] m = Rand(bytes), b = Rand(bytes), e = Rand(bytes);
            m[0] |= 0x80;
            m[^1] |= 1;
            e[0] |= 0x80;
            cases[name] = (new ModExpPrecompile(), [.. Word(bytes), .. Word(bytes), .. Word(bytes), .. b, .. e, .. m]);
        }

        // alt_bn128: G1 generator (1, 2), 2G from the precompile itself, the EIP-197 G2 generator.
        var add = new Bn254AddPrecompile();
        var mul = new Bn254MulPrecompile();
        byte[] g1 = [.. Word(1), .. Word(2)];
        if (!mul.TryRun([.. g1, .. Word(2)], out var g1x2)) throw new InvalidOperationException("mul");
        cases[nameof(Bn254Add)] = (add, [.. g1, .. g1x2]);
        cases[nameof(Bn254Mul)] = (mul, [.. g1x2, .. Rand(32)]);
        BigInteger p = BigInteger.Parse("21888242871839275222246405745257275088696311157297823662689037894645226208583");
        byte[] negG1 = [.. Word(1), .. Word(p - 2)];
        byte[] g2 =
        [
            .. Word(BigInteger.Parse("11559732032986387107991004021392285783925812861821192530917403151452391805634")),
            .. Word(BigInteger.Parse("10857046999023057135944570762232829481370756359578518086990519993285655852781")),
            .. Word(BigInteger.Parse("4082367875863433681332203403145435568316851327593401208105741076214120093531")),
            .. Word(BigInteger.Parse("8495653923123431417604973247489272438418190587263600148770280649306958101930")),
        ];
        byte[] twoPairs = [.. g1, .. g2, .. negG1, .. g2];
        cases[nameof(Bn254Pairing2)] = (new Bn254PairingPrecompile(), twoPairs);
        cases[nameof(Bn254Pairing4)] = (new Bn254PairingPrecompile(), [.. twoPairs, .. twoPairs]);

        // blake2f: EIP-152 test vector 5 (12 rounds).
        cases[nameof(Blake2f12Rounds)] = (new Blake2fPrecompile(), Convert.FromHexString(
            "0000000c48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b"
            + "616263" + new string('0', 250) + "03000000000000000000000000000000" + "01"));

        // point evaluation: a consensus-specs verify_kzg_proof "correct_proof" case (nonzero commitment and proof).
        cases[nameof(PointEvaluation)] = (new PointEvaluationPrecompile(), Convert.FromHexString(KzgVector));

        foreach (var (name, (pc, input)) in cases)
            if (!pc.TryRun(input, out _)) throw new InvalidOperationException(name + " input does not succeed");
        return cases;
    }

    private const string KzgVector =
        "01ad7666ef9d8f53b5adf54f029b13b6f171b1d0bd346a2ede315d3e243484ef73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff000000000000000000000000000000000000000000000000000000000000000000000000" +
        "93efc82d2017e9c57834a1246463e64774e56183bb247c8fc9dd98c56817e878d97b05f5c8d900acf1fbbbca6f14655692c51ff81dd71dab71cefecd79e8274b4b7ba36a0f40e2dc086bc4061c7f63249877db23297212991fd63e07b7ebc348";

    /// <summary>In-process runs with enough iterations for a meaningful Min, plus the two gas columns.</summary>
    private sealed class GasConfig : ManualConfig
    {
        public GasConfig()
        {
            AddJob(Job.ShortRun.WithIterationCount(15).WithToolchain(InProcessEmitToolchain.Instance));
            AddColumn(StatisticColumn.Min, new GasColumn(ratio: false), new GasColumn(ratio: true));
        }
    }

    private sealed class GasColumn(bool ratio) : IColumn
    {
        public string Id => ratio ? "XEcrecover" : "MgasPerSec";
        public string ColumnName => ratio ? "x ecrecover" : "Mgas/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => ratio ? 1 : 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => ratio ? "Gas/s relative to ecrecover's in the same run" : "Million gas per second (gas per call / Min)";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            double? own = GasPerSecond(summary, benchmarkCase);
            if (own is null) return "-";
            if (!ratio) return (own.Value / 1e6).ToString("F1");
            var reference = summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.WorkloadMethod.Name == nameof(EcRecover));
            double? refRate = reference is null ? null : GasPerSecond(summary, reference);
            return refRate is null ? "-" : (own.Value / refRate.Value).ToString("F2");
        }

        private static double? GasPerSecond(Summary summary, BenchmarkCase c)
        {
            var stats = summary[c]?.ResultStatistics;
            if (stats is null || !GasPerCall.TryGetValue(c.Descriptor.WorkloadMethod.Name, out long gas)) return null;
            return gas / (stats.Min * 1e-9);
        }
    }
}
