using System.Text.Json;
using OpenLedger.Evm.Precompiles;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Evm.Tests.Precompiles;

/// <summary>
/// go-ethereum's precompile vectors (core/vm/testdata/precompiles, read-only in ../shared/fixtures/precompile-vectors,
/// see its SOURCE.txt): every vector must give the expected output and charge the listed gas; every fail-* vector must
/// fail. modexp.json is priced by EIP-198 (before Berlin), a pricing we do not run: its outputs are checked, not its gas.
/// </summary>
public class GethPrecompileVectorTests
{
    public static string VectorDir
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("OPENLEDGER_PRECOMPILE_VECTORS");
            string dir = !string.IsNullOrEmpty(env) ? env : Path.Combine(Path.GetDirectoryName(TestPaths.EthereumTests)!, "precompile-vectors");
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"precompile vectors not found at {dir} (set OPENLEDGER_PRECOMPILE_VECTORS)");
            return dir;
        }
    }

    private static IPrecompile For(string file) => file switch
    {
        "ecRecover" => new EcRecoverPrecompile(),
        "modexp" or "modexp_eip2565" => ModExpPrecompile.Berlin,
        "modexp_eip7883" => ModExpPrecompile.Osaka,
        "bn256Add" => new Bn254AddPrecompile(),
        "bn256ScalarMul" => new Bn254MulPrecompile(),
        "bn256Pairing" => new Bn254PairingPrecompile(),
        "blake2F" or "blake2f" => new Blake2fPrecompile(),
        "pointEvaluation" => new PointEvaluationPrecompile(),
        "blsG1Add" => new Bls12381G1AddPrecompile(),
        "blsG1Mul" or "blsG1MultiExp" => new Bls12381G1MsmPrecompile(),
        "blsG2Add" => new Bls12381G2AddPrecompile(),
        "blsG2Mul" or "blsG2MultiExp" => new Bls12381G2MsmPrecompile(),
        "blsPairing" => new Bls12381PairingPrecompile(),
        "blsMapG1" => new Bls12381MapFpToG1Precompile(),
        "blsMapG2" => new Bls12381MapFp2ToG2Precompile(),
        "p256Verify" => new P256VerifyPrecompile(),
        _ => throw new ArgumentException($"no precompile for vector file {file}"),
    };

    public static TheoryData<string> Files() => [.. VectorFiles(fail: false)];

    public static TheoryData<string> FailFiles() => [.. VectorFiles(fail: true)];

    private static IEnumerable<string> VectorFiles(bool fail) =>
    [
        .. (fail ? ["blake2f"] : new[] { "ecRecover", "modexp", "modexp_eip2565", "modexp_eip7883", "bn256Add", "bn256ScalarMul", "bn256Pairing", "blake2F", "pointEvaluation", "p256Verify" }),
        "blsG1Add", "blsG1Mul", "blsG1MultiExp", "blsG2Add", "blsG2Mul", "blsG2MultiExp", "blsPairing", "blsMapG1", "blsMapG2",
    ];

    [Theory]
    [MemberData(nameof(Files))]
    public void Vectors_give_the_expected_output_and_gas(string file)
    {
        var precompile = For(file);
        var failures = new List<string>();
        int count = 0;
        foreach (var v in Load(file))
        {
            count++;
            byte[] input = Convert.FromHexString(v.GetProperty("Input").GetString()!);
            string expected = v.GetProperty("Expected").GetString()!.ToLowerInvariant();
            var gasElement = v.GetProperty("Gas");
            long gas = gasElement.ValueKind == JsonValueKind.Number ? gasElement.GetInt64() : long.Parse(gasElement.GetString()!);
            string name = v.GetProperty("Name").GetString()!;
            long charged = precompile.GasCost(input);
            if (file != "modexp" && charged != gas) failures.Add($"{name}: gas {charged}, expected {gas}");
            if (!precompile.TryRun(input, out var output)) failures.Add($"{name}: failed");
            else if (Convert.ToHexString(output).ToLowerInvariant() != expected) failures.Add($"{name}: output {Convert.ToHexString(output)}");
        }
        Assert.True(count > 0, $"{file}.json holds no vectors");
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} vectors in {file}.json:\n" + string.Join("\n", failures.Take(20)));
    }

    [Theory]
    [MemberData(nameof(FailFiles))]
    public void Fail_vectors_fail(string file)
    {
        var precompile = For(file);
        var failures = new List<string>();
        int count = 0;
        foreach (var v in Load("fail-" + file))
        {
            count++;
            byte[] input = Convert.FromHexString(v.GetProperty("Input").GetString()!);
            if (precompile.TryRun(input, out _)) failures.Add($"{v.GetProperty("Name").GetString()} ({v.GetProperty("ExpectedError").GetString()}): succeeded");
        }
        Assert.True(count > 0, $"fail-{file}.json holds no vectors");
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} fail vectors in fail-{file}.json succeeded:\n" + string.Join("\n", failures));
    }

    private static List<JsonElement> Load(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(VectorDir, file + ".json")));
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
