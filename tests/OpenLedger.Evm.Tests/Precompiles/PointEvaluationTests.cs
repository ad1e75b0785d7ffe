using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenLedger.Evm.Precompiles;
using OpenLedger.Crypto.Bls12381;

namespace OpenLedger.Evm.Tests.Precompiles;

public class PointEvaluationTests
{
    private static readonly PointEvaluationPrecompile Precompile = new();

    private static byte[] Word(BigInteger v)
    {
        var w = new byte[32];
        var b = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        b.CopyTo(w, 32 - b.Length);
        return w;
    }

    private static byte[] InfinityG1()
    {
        var b = new byte[48];
        b[0] = 0xc0;
        return b;
    }

    private static byte[] VersionedHash(byte[] commitment)
    {
        byte[] h = SHA256.HashData(commitment);
        h[0] = 0x01;
        return h;
    }

    private static byte[] Input(byte[] commitment, BigInteger z, BigInteger y, byte[] proof) =>
        [.. VersionedHash(commitment), .. Word(z), .. Word(y), .. commitment, .. proof];

    [Fact]
    public void Zero_polynomial_opens_to_zero_everywhere()
    {
        Assert.True(Precompile.TryRun(Input(InfinityG1(), 12345, 0, InfinityG1()), out var output));
        Assert.Equal(Word(4096), output[..32]);
        Assert.Equal(Word(Bls12381Curve.R), output[32..]);
        Assert.Equal(50000, Precompile.GasCost(output));
    }

    [Fact]
    public void Wrong_value_fails()
    {
        Assert.False(Precompile.TryRun(Input(InfinityG1(), 12345, 1, InfinityG1()), out _));
    }

    [Fact]
    public void Rejects_bad_lengths_hash_version_and_non_canonical_scalars()
    {
        byte[] good = Input(InfinityG1(), 5, 0, InfinityG1());
        Assert.False(Precompile.TryRun(good[..191], out _));
        Assert.False(Precompile.TryRun([.. good, 0], out _));
        byte[] badVersion = (byte[])good.Clone();
        badVersion[0] = 0x02;
        Assert.False(Precompile.TryRun(badVersion, out _));
        byte[] badHash = (byte[])good.Clone();
        badHash[31] ^= 1;
        Assert.False(Precompile.TryRun(badHash, out _));
        Assert.False(Precompile.TryRun(Input(InfinityG1(), Bls12381Curve.R, 0, InfinityG1()), out _));
        Assert.False(Precompile.TryRun(Input(InfinityG1(), 5, Bls12381Curve.R, InfinityG1()), out _));
        byte[] uncompressedInfinity = new byte[48];
        uncompressedInfinity[0] = 0x40;
        Assert.False(Precompile.TryRun(Input(uncompressedInfinity, 5, 0, InfinityG1()), out _));
    }

    /// <summary>
    /// The consensus-specs verify_kzg_proof vectors (real ceremony setup), as embedded in the execution-spec state test
    /// point_evaluation_precompile_external_vectors: "correct_*" cases must verify, every other case must fail.
    /// </summary>
    [Fact]
    public void Consensus_spec_verify_kzg_proof_vectors()
    {
        string path = Path.Combine(PrecompileFixtures.EthereumTests, "GeneralStateTests", "Pyspecs", "cancun", "eip4844_blobs",
            "point_evaluation_precompile_external_vectors.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        int correct = 0, incorrect = 0;
        foreach (var test in doc.RootElement.EnumerateObject())
        {
            var m = Regex.Match(test.Name, @"verify_kzg_proof_case_([a-z_]+?)_[0-9a-f]{16}\]");
            Assert.True(m.Success, test.Name);
            bool expected = m.Groups[1].Value.StartsWith("correct_proof", StringComparison.Ordinal);
            foreach (var data in test.Value.GetProperty("transaction").GetProperty("data").EnumerateArray())
            {
                byte[] input = Convert.FromHexString(data.GetString()![2..]);
                Assert.True(expected == Precompile.TryRun(input, out _), test.Name);
                if (expected) correct++;
                else incorrect++;
            }
        }
        Assert.True(correct >= 40 && incorrect >= 40, $"{correct} correct, {incorrect} incorrect");
    }
}
