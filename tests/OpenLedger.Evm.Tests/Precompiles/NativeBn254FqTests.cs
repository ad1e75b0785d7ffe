using System.Numerics;
using System.Runtime.CompilerServices;
using OpenLedger.Crypto.Tests;
using OpenLedger.Crypto.Bn254;
using OpenLedger.Crypto.FieldMath;
using OpenLedger.Tools.StateTests;
using OpenLedger.Tests.Shared;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bn254.Bn254FqParams>;

namespace OpenLedger.Evm.Tests.Precompiles;

/// <summary>
/// The BN254 kernels (<see cref="NativeBn254Fq"/>: Fp2 product and square, Fp12 product and square) against the managed
/// code on random elements, with outputs aliasing inputs, and the pairing state tests with the kernels off and on.
/// Runs alone: it flips the process-wide <see cref="NativeBn254Fq.Enabled"/> and restores it.
/// </summary>
[Collection(NativeFqToggleCollection.Name)]
public class NativeBn254FqTests
{
    private const int Cases = 300;

    [Fact]
    public void Kernels_load_wherever_the_library_does()
    {
        NativeBn254Fq.EnsureInitialized();
        Assert.True(NativeBn254Fq.Available == (NativeFieldLibrary.DisabledReason is null),
            $"library: {NativeFieldLibrary.DisabledReason ?? "loaded"}; BN254 kernels: {NativeBn254Fq.DisabledReason ?? "in use"}");
    }

    [Fact]
    public void Fp2_product_and_square_match_the_managed_code()
    {
        if (!NativeBn254Fq.EnsureInitialized()) return;
        var rng = new Random(31);
        for (int i = 0; i < Cases; i++)
        {
            Fq a0 = RandomFq(rng, i), a1 = RandomFq(rng, i + 1), b0 = RandomFq(rng, i + 2), b1 = RandomFq(rng, i + 3);
            Limbs6 m0 = default, m1 = default, n0 = default, n1 = default;
            Bn254FqArith.Fp2Mul(ref m0, ref m1, a0.L, a1.L, b0.L, b1.L);
            NativeBn254Fq.Fp2Mul(ref n0, ref n1, a0.L, a1.L, b0.L, b1.L);
            AssertSame(m0, n0, $"product re {i}");
            AssertSame(m1, n1, $"product im {i}");
            Limbs6 x0 = a0.L, x1 = a1.L; // in place: r = a
            NativeBn254Fq.Fp2Mul(ref x0, ref x1, x0, x1, b0.L, b1.L);
            AssertSame(m0, x0, $"product in place re {i}");
            AssertSame(m1, x1, $"product in place im {i}");

            Bn254FqArith.Fp2Square(ref m0, ref m1, a0.L, a1.L);
            x0 = a0.L;
            x1 = a1.L;
            NativeBn254Fq.Fp2Square(ref x0, ref x1, x0, x1);
            AssertSame(m0, x0, $"square re {i}");
            AssertSame(m1, x1, $"square im {i}");
        }
    }

    [Fact]
    public void Fp12_product_and_square_match_the_managed_tower()
    {
        if (!NativeBn254Fq.EnsureInitialized()) return;
        var rng = new Random(32);
        for (int i = 0; i < Cases / 3; i++)
        {
            Fp12<Fq> a = RandomFp12(rng, i), b = RandomFp12(rng, i + 7);
            var (product, square) = KernelSwitch.Bn254(false, () => (Fp12<Fq>.Mul(a, b), Fp12<Fq>.Square(a)));
            Fp12<Fq> x = a;
            NativeBn254Fq.Fp12Mul(ref Unsafe.AsRef(in x.C0.C0.A.L), x.C0.C0.A.L, b.C0.C0.A.L);
            Assert.True(Fp12<Fq>.Equal(product, x), $"product {i}");
            x = a;
            NativeBn254Fq.Fp12Square(ref Unsafe.AsRef(in x.C0.C0.A.L), x.C0.C0.A.L);
            Assert.True(Fp12<Fq>.Equal(square, x), $"square {i}");
            Assert.True(Fp12<Fq>.Equal(product, KernelSwitch.Bn254(true, () => Fp12<Fq>.Mul(a, b))), $"dispatch {i}");
        }
    }

    [Fact]
    public void Pairing_state_tests_pass_managed_and_native()
    {
        var dirs = new[] { "stZeroKnowledge" }
            .Select(d => Path.Combine(TestPaths.EthereumTests, "GeneralStateTests", d)).ToArray();
        var files = StateTestSuite.CollectFiles(dirs).Where(f => Path.GetFileName(f).Contains("pairing", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(files.Count >= 10, $"{files.Count} pairing files");
        foreach (bool native in NativeBn254Fq.EnsureInitialized() ? new[] { false, true } : new[] { false })
        {
            var (results, _) = KernelSwitch.Bn254(native, () => StateTestSuite.Run(files, ForkSpec.Cancun));
            Assert.NotEmpty(results);
            var failures = results.Where(r => !r.Pass).Select(r => $"{r.Name}[{r.Index}]: {r.Error}").ToList();
            Assert.True(failures.Count == 0, $"native={native}: {failures.Count} of {results.Count} failed:\n" + string.Join('\n', failures.Take(10)));
        }
    }

    private static void AssertSame(in Limbs6 expected, in Limbs6 actual, string what)
    {
        for (int j = 0; j < 6; j++) Assert.True(expected[j] == actual[j], $"{what}: limb {j}");
    }

    private static Fp12<Fq> RandomFp12(Random rng, int salt) => new(
        new Fp6<Fq>(RandomFp2(rng, salt), RandomFp2(rng, salt + 1), RandomFp2(rng, salt + 2)),
        new Fp6<Fq>(RandomFp2(rng, salt + 3), RandomFp2(rng, salt + 4), RandomFp2(rng, salt + 5)));

    private static Fp2<Fq> RandomFp2(Random rng, int salt) => new(RandomFq(rng, salt), RandomFq(rng, salt + 1));

    /// <summary>Mostly uniform below p, with 0, 1 and p - 1 mixed in to reach the carry and borrow edges.</summary>
    private static Fq RandomFq(Random rng, int salt)
    {
        switch (rng.Next(12))
        {
            case 0: return Fq.Zero;
            case 1: return Fq.One;
            case 2: return Fq.FromBig(Bn254Curve.P - 1);
        }
        var bytes = new byte[40];
        rng.NextBytes(bytes);
        return Fq.FromBig((new BigInteger(bytes, isUnsigned: true) + salt) % Bn254Curve.P);
    }
}
