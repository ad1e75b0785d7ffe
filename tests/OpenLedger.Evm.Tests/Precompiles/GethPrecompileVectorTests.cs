using System.Text.Json;
using OpenLedger.Crypto.Secp256r1;
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

    [Fact]
    public void P256_openssl_and_dotnet_paths_agree_on_every_vector()
    {
        Assert.True(OpenSslP256.Available, "libcrypto.so.3 could not be loaded: P256VERIFY runs on its slower fallback");
        int count = 0;
        foreach (var v in Load("p256Verify"))
        {
            byte[] i = Convert.FromHexString(v.GetProperty("Input").GetString()!);
            if (i.Length != 160 || !P256Verifier.InputsValid(i[..32], i[32..64], i[64..96], i[96..128], i[128..])) continue;
            bool expected = v.GetProperty("Expected").GetString()!.Length > 0;
            Assert.Equal(expected, OpenSslP256.Verify(i[..32], i[32..64], i[64..96], i[96..128], i[128..]) == 1);
            Assert.Equal(expected, P256Verifier.VerifyThroughDotNet(i[..32], i[32..64], i[64..96], i[96..128], i[128..]));
            count++;
        }
        Assert.True(count > 500, $"only {count} well-formed p256 vectors");
    }

    [Fact]
    public void Modexp_osaka_bounds_each_length_at_1024_bytes_and_berlin_does_not()
    {
        static byte[] Input(int baseLen, int expLen, int modLen)
        {
            var input = new byte[96 + baseLen + expLen + modLen];
            input[30] = (byte)(baseLen >> 8); input[31] = (byte)baseLen;
            input[62] = (byte)(expLen >> 8); input[63] = (byte)expLen;
            input[94] = (byte)(modLen >> 8); input[95] = (byte)modLen;
            input[^1] = 7; // odd modulus
            input[96 + baseLen - 1] = 3;
            input[96 + baseLen + expLen - 1] = 5;
            return input;
        }
        foreach (var (b, e, m) in new[] { (1025, 1, 1), (1, 1025, 1), (1, 1, 1025) })
        {
            Assert.False(ModExpPrecompile.Osaka.TryRun(Input(b, e, m), out _));
            Assert.True(ModExpPrecompile.Berlin.TryRun(Input(b, e, m), out _));
        }
        Assert.True(ModExpPrecompile.Osaka.TryRun(Input(1024, 1024, 1024), out var output));
        Assert.Equal(1024, output.Length);
        // Osaka's floor is 500 even with empty operands; Berlin's 200.
        Assert.Equal(500, ModExpPrecompile.Osaka.GasCost(new byte[96]));
        Assert.Equal(200, ModExpPrecompile.Berlin.GasCost(new byte[96]));
    }

    [Fact]
    public void Registry_lists_every_address_once_per_fork()
    {
        Assert.Equal(Enumerable.Range(1, 0x11), PrecompileRegistry.Prague().Select(p => p.AddressIndex));
        var osaka = PrecompileRegistry.Osaka();
        Assert.Equal([.. Enumerable.Range(1, 0x11), 0x100], osaka.Select(p => p.AddressIndex));
        Assert.Same(ModExpPrecompile.Osaka, osaka.Single(p => p.AddressIndex == 5));
        Assert.Same(ModExpPrecompile.Berlin, PrecompileRegistry.Prague().Single(p => p.AddressIndex == 5));
    }

    private static List<JsonElement> Load(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(VectorDir, file + ".json")));
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
