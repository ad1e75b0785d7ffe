using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenLedger.Crypto.Tests;
using OpenLedger.Evm.Precompiles;
using OpenLedger.Crypto.Bls12381;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;

namespace OpenLedger.Evm.Tests.Precompiles;

/// <summary>
/// The BLS12-381 base-field kernels: the x86-64 assembly (<see cref="NativeFq"/>) and the managed code
/// (Bls12381FqArith.*Managed) each against plain BigInteger arithmetic in Montgomery form (R = 2^384), on seeded random
/// inputs (limbs biased towards 0 and all-ones to exercise the carry chains), the edge values 0, 1, p-1, R mod p, and
/// outputs aliasing inputs. The native half of each test runs only where the kernels loaded; the load test below says
/// where that must be the case.
/// </summary>
public class NativeFqTests
{
    private static readonly BigInteger P = BigInteger.Parse(
        "01a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
        System.Globalization.NumberStyles.HexNumber);
    private static readonly BigInteger R = BigInteger.One << 384;
    private static readonly BigInteger RInv = BigInteger.ModPow(R, P - 2, P);
    private const int RandomCases = 4000;

    // Inputs below p (every kernel's contract); R mod p and R^2 mod p are 1 and R in Montgomery form.
    private static readonly BigInteger[] Edges = [0, 1, 2, P - 1, P - 2, (P - 1) / 2, (P + 1) / 2, R % P, R * R % P];

    // Mul also takes inputs in [p, 2p) (the lazily reduced sums of the Fp2 square feed it such values).
    private static readonly BigInteger[] EdgesBelow2P = [.. Edges, P, P + 1, P + (P - 1) / 2, 2 * P - 2, 2 * P - 1];

    [Fact]
    public void Native_kernels_load_on_linux_x64_with_adx()
    {
        // CPUID leaf 7 EBX bit 19 is ADX; the short circuit keeps CpuId off non-x86 machines.
        bool expected = OperatingSystem.IsLinux()
            && RuntimeInformation.ProcessArchitecture == Architecture.X64
            && Bmi2.X64.IsSupported
            && X86Base.IsSupported && (X86Base.CpuId(7, 0).Ebx & (1 << 19)) != 0
            && Environment.GetEnvironmentVariable("OPENLEDGER_NATIVE_FIELD") != "0";
        if (expected) Assert.True(NativeFq.Available, NativeFq.DisabledReason);
        else Assert.False(NativeFq.Available);
    }

    [Fact]
    public void Mul_and_square_match_biginteger()
    {
        foreach (var (a, b) in Pairs(EdgesBelow2P, seed: 1, bound: 2 * P))
        {
            var expected = Mont(a, b);
            var la = ToLimbs(a);
            var lb = ToLimbs(b);
            Limbs6 r = default;
            Bls12381FqArith.MulManaged(ref r, la, lb);
            Check(expected, r, "MulManaged", a, b);
            r = la;
            Bls12381FqArith.MulManaged(ref r, r, lb);
            Check(expected, r, "MulManaged r == a", a, b);
            if (NativeFq.Available)
            {
                r = default;
                NativeFq.Mul(ref r, la, lb);
                Check(expected, r, "NativeFq.Mul", a, b);
                r = la;
                NativeFq.Mul(ref r, r, lb);
                Check(expected, r, "NativeFq.Mul r == a", a, b);
                r = lb;
                NativeFq.Mul(ref r, la, r);
                Check(expected, r, "NativeFq.Mul r == b", a, b);
            }
            if (a < P)
            {
                // The dispatcher squares natively as Mul(a, a), managed with the dedicated square (inputs below p).
                r = la;
                Bls12381FqArith.SquareManaged(ref r, r);
                Check(Mont(a, a), r, "SquareManaged r == a", a);
                if (NativeFq.Available)
                {
                    r = la;
                    NativeFq.Mul(ref r, r, r);
                    Check(Mont(a, a), r, "NativeFq.Mul r == a == b", a);
                }
            }
        }
    }

    [Fact]
    public void Add_and_sub_match_biginteger()
    {
        foreach (var (a, b) in Pairs(Edges, seed: 2, bound: P))
        {
            BigInteger sum = (a + b) % P, diff = ((a - b) % P + P) % P;
            var la = ToLimbs(a);
            var lb = ToLimbs(b);
            Limbs6 r = la;
            Bls12381FqArith.AddManaged(ref r, r, lb);
            Check(sum, r, "AddManaged r == a", a, b);
            r = lb;
            Bls12381FqArith.SubManaged(ref r, la, r);
            Check(diff, r, "SubManaged r == b", a, b);
            if (!NativeFq.Available) continue;
            r = default;
            NativeFq.Add(ref r, la, lb);
            Check(sum, r, "NativeFq.Add", a, b);
            r = lb;
            NativeFq.Add(ref r, la, r);
            Check(sum, r, "NativeFq.Add r == b", a, b);
            r = default;
            NativeFq.Sub(ref r, la, lb);
            Check(diff, r, "NativeFq.Sub", a, b);
            r = la;
            NativeFq.Sub(ref r, r, lb);
            Check(diff, r, "NativeFq.Sub r == a", a, b);
        }
    }

    [Fact]
    public void Sum_of_two_products_matches_biginteger()
    {
        foreach (var v in Tuples(4, seed: 3))
        {
            var expected = (v[0] * v[1] + v[2] * v[3]) * RInv % P;
            var l = v.Select(ToLimbs).ToArray();
            Bls12381FqArith.SumOfProductsManaged(out Limbs6 r, l[0], l[1], l[2], l[3]);
            Check(expected, r, "SumOfProductsManaged", v);
            if (!NativeFq.Available) continue;
            r = default;
            NativeFq.SumOfProducts(ref r, l[0], l[1], l[2], l[3]);
            Check(expected, r, "NativeFq.SumOfProducts", v);
            r = l[0];
            NativeFq.SumOfProducts(ref r, r, l[1], l[2], l[3]);
            Check(expected, r, "NativeFq.SumOfProducts r == a", v);
            r = l[3];
            NativeFq.SumOfProducts(ref r, l[0], l[1], l[2], r);
            Check(expected, r, "NativeFq.SumOfProducts r == d", v);
        }
    }

    [Fact]
    public void Sum_of_three_products_matches_biginteger()
    {
        // The managed three-product form is private to the Fp4 square (covered there); the native one is checked here.
        if (!NativeFq.Available) return;
        foreach (var v in Tuples(6, seed: 4))
        {
            var expected = (v[0] * v[1] + v[2] * v[3] + v[4] * v[5]) * RInv % P;
            var l = v.Select(ToLimbs).ToArray();
            Limbs6 r = default;
            NativeFq.SumOfProducts(ref r, l[0], l[1], l[2], l[3], l[4], l[5]);
            Check(expected, r, "NativeFq.SumOfProducts(6)", v);
            r = l[0];
            NativeFq.SumOfProducts(ref r, r, l[1], l[2], l[3], l[4], l[5]);
            Check(expected, r, "NativeFq.SumOfProducts(6) r == a", v);
            r = l[5];
            NativeFq.SumOfProducts(ref r, l[0], l[1], l[2], l[3], l[4], r);
            Check(expected, r, "NativeFq.SumOfProducts(6) r == f", v);
        }
    }

    [Fact]
    public void Fp2_mul_matches_biginteger()
    {
        foreach (var v in Tuples(4, seed: 5))
        {
            var (e0, e1) = Fp2Mul((v[0], v[1]), (v[2], v[3]));
            var l = v.Select(ToLimbs).ToArray();
            Limbs6 r0 = default, r1 = default;
            Bls12381FqArith.Fp2MulManaged(ref r0, ref r1, l[0], l[1], l[2], l[3]);
            Check2(e0, e1, r0, r1, "Fp2MulManaged", v);
            (r0, r1) = (l[0], l[1]);
            Bls12381FqArith.Fp2MulManaged(ref r0, ref r1, r0, r1, l[2], l[3]);
            Check2(e0, e1, r0, r1, "Fp2MulManaged r == a", v);
            if (!NativeFq.Available) continue;
            (r0, r1) = (default, default);
            NativeFq.Fp2Mul(ref r0, ref r1, l[0], l[1], l[2], l[3]);
            Check2(e0, e1, r0, r1, "NativeFq.Fp2Mul", v);
            (r0, r1) = (l[0], l[1]);
            NativeFq.Fp2Mul(ref r0, ref r1, r0, r1, l[2], l[3]);
            Check2(e0, e1, r0, r1, "NativeFq.Fp2Mul r == a", v);
            (r0, r1) = (l[2], l[3]);
            NativeFq.Fp2Mul(ref r0, ref r1, l[0], l[1], r0, r1);
            Check2(e0, e1, r0, r1, "NativeFq.Fp2Mul r == b", v);
            // a == b == r: the square through the product.
            var (s0, s1) = Fp2Mul((v[0], v[1]), (v[0], v[1]));
            (r0, r1) = (l[0], l[1]);
            NativeFq.Fp2Mul(ref r0, ref r1, r0, r1, r0, r1);
            Check2(s0, s1, r0, r1, "NativeFq.Fp2Mul r == a == b", v);
        }
    }

    [Fact]
    public void Fp2_square_matches_biginteger()
    {
        foreach (var v in Tuples(2, seed: 6))
        {
            var (e0, e1) = Fp2Mul((v[0], v[1]), (v[0], v[1]));
            var l = v.Select(ToLimbs).ToArray();
            Limbs6 r0 = default, r1 = default;
            Bls12381FqArith.Fp2SquareManaged(ref r0, ref r1, l[0], l[1]);
            Check2(e0, e1, r0, r1, "Fp2SquareManaged", v);
            (r0, r1) = (l[0], l[1]);
            Bls12381FqArith.Fp2SquareManaged(ref r0, ref r1, r0, r1);
            Check2(e0, e1, r0, r1, "Fp2SquareManaged r == a", v);
            if (!NativeFq.Available) continue;
            (r0, r1) = (default, default);
            NativeFq.Fp2Square(ref r0, ref r1, l[0], l[1]);
            Check2(e0, e1, r0, r1, "NativeFq.Fp2Square", v);
            (r0, r1) = (l[0], l[1]);
            NativeFq.Fp2Square(ref r0, ref r1, r0, r1);
            Check2(e0, e1, r0, r1, "NativeFq.Fp2Square r == a", v);
            (r0, r1) = (l[1], l[0]); // crossed: r0 overlaps a1 and r1 overlaps a0
            NativeFq.Fp2Square(ref r0, ref r1, r1, r0);
            Check2(e0, e1, r0, r1, "NativeFq.Fp2Square crossed", v);
        }
    }

    [Fact]
    public void Fp4_square_matches_biginteger()
    {
        foreach (var v in Tuples(4, seed: 7))
        {
            var expected = Fp4Square(v);
            var l = v.Select(ToLimbs).ToArray();
            foreach (var aliasing in new[] { Aliasing.None, Aliasing.C00IsA0, Aliasing.InPlace })
            {
                Check4(expected, l, aliasing, Bls12381FqArith.Fp4SquareManaged, "Fp4SquareManaged", v);
                if (NativeFq.Available) Check4(expected, l, aliasing, NativeFq.Fp4Square, "NativeFq.Fp4Square", v);
            }
        }
    }

    private delegate void Fp4Kernel(ref Limbs6 c00, ref Limbs6 c01, ref Limbs6 c10, ref Limbs6 c11, in Limbs6 a0, in Limbs6 a1, in Limbs6 b0, in Limbs6 b1);

    private enum Aliasing { None, C00IsA0, InPlace }

    private static void Check4(BigInteger[] expected, Limbs6[] l, Aliasing aliasing, Fp4Kernel kernel, string name, BigInteger[] v)
    {
        Limbs6 c00 = default, c01 = default, c10 = default, c11 = default;
        switch (aliasing)
        {
            case Aliasing.None:
                kernel(ref c00, ref c01, ref c10, ref c11, l[0], l[1], l[2], l[3]);
                break;
            case Aliasing.C00IsA0:
                c00 = l[0];
                kernel(ref c00, ref c01, ref c10, ref c11, c00, l[1], l[2], l[3]);
                break;
            case Aliasing.InPlace:
                (c00, c01, c10, c11) = (l[0], l[1], l[2], l[3]);
                kernel(ref c00, ref c01, ref c10, ref c11, c00, c01, c10, c11);
                break;
        }
        string what = $"{name} ({aliasing})";
        Check(expected[0], c00, what + " c00", v);
        Check(expected[1], c01, what + " c01", v);
        Check(expected[2], c10, what + " c10", v);
        Check(expected[3], c11, what + " c11", v);
    }

    // Montgomery product of the limb values: x*y/R mod p.
    private static BigInteger Mont(BigInteger x, BigInteger y) => x * y % P * RInv % P;

    // In Montgomery form every product carries one R^-1, so Fp2 over u^2 = -1 is the textbook formula on Mont.
    private static (BigInteger, BigInteger) Fp2Mul((BigInteger, BigInteger) a, (BigInteger, BigInteger) b) =>
        (Mod(Mont(a.Item1, b.Item1) - Mont(a.Item2, b.Item2)), Mod(Mont(a.Item1, b.Item2) + Mont(a.Item2, b.Item1)));

    /// <summary>((a0 + a1 u) + (b0 + b1 u) t)^2 with t^2 = 1 + u: c0 = a^2 + (1 + u) b^2, c1 = 2ab.</summary>
    private static BigInteger[] Fp4Square(BigInteger[] v)
    {
        var (a2re, a2im) = Fp2Mul((v[0], v[1]), (v[0], v[1]));
        var (b2re, b2im) = Fp2Mul((v[2], v[3]), (v[2], v[3]));
        var (abre, abim) = Fp2Mul((v[0], v[1]), (v[2], v[3]));
        return [Mod(a2re + b2re - b2im), Mod(a2im + b2re + b2im), Mod(2 * abre), Mod(2 * abim)];
    }

    private static BigInteger Mod(BigInteger x) => (x % P + P) % P;

    private static Limbs6 ToLimbs(BigInteger v)
    {
        Limbs6 l = default;
        for (int i = 0; i < 6; i++) l[i] = (ulong)((v >> (64 * i)) & ulong.MaxValue);
        return l;
    }

    private static BigInteger ToBig(in Limbs6 l)
    {
        BigInteger v = 0;
        for (int i = 5; i >= 0; i--) v = (v << 64) | l[i];
        return v;
    }

    private static void Check(BigInteger expected, in Limbs6 actual, string what, params BigInteger[] inputs)
    {
        var got = ToBig(actual);
        if (got != expected)
            Assert.Fail($"{what}({string.Join(", ", inputs.Select(x => "0x" + x.ToString("x")))}): expected 0x{expected:x}, got 0x{got:x}");
    }

    private static void Check2(BigInteger e0, BigInteger e1, in Limbs6 r0, in Limbs6 r1, string what, BigInteger[] inputs)
    {
        Check(e0, r0, what + " r0", inputs);
        Check(e1, r1, what + " r1", inputs);
    }

    /// <summary>A value below bound (p or 2p) whose limbs are often 0 or all ones, where carries and borrows run longest.</summary>
    private static BigInteger RandomBelow(Random rng, BigInteger bound)
    {
        BigInteger v = 0;
        for (int i = 5; i >= 0; i--)
        {
            int kind = rng.Next(8);
            ulong limb = kind == 0 ? 0 : kind == 1 ? ulong.MaxValue : (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
            v = (v << 64) | limb;
        }
        // Masked to below 2^381 (bound p) or 2^382 (bound 2p), both under 2 * bound: one subtraction lands below bound.
        v &= (BigInteger.One << (bound > P ? 382 : 381)) - 1;
        return v >= bound ? v - bound : v;
    }

    private static IEnumerable<(BigInteger, BigInteger)> Pairs(BigInteger[] edges, int seed, BigInteger bound)
    {
        foreach (var a in edges)
        foreach (var b in edges)
            yield return (a, b);
        var rng = new Random(seed);
        for (int i = 0; i < RandomCases; i++)
        {
            var a = rng.Next(4) == 0 ? edges[rng.Next(edges.Length)] : RandomBelow(rng, bound);
            var b = rng.Next(4) == 0 ? edges[rng.Next(edges.Length)] : RandomBelow(rng, bound);
            yield return (a, b);
        }
    }

    /// <summary>Each edge value in every position, then random tuples below p with edge values mixed in.</summary>
    private static IEnumerable<BigInteger[]> Tuples(int arity, int seed)
    {
        foreach (var e in Edges)
            yield return Enumerable.Repeat(e, arity).ToArray();
        var rng = new Random(seed);
        for (int i = 0; i < RandomCases; i++)
        {
            var v = new BigInteger[arity];
            for (int j = 0; j < arity; j++)
                v[j] = rng.Next(4) == 0 ? Edges[rng.Next(Edges.Length)] : RandomBelow(rng, P);
            yield return v;
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeFqToggleCollection
{
    public const string Name = "NativeFq.Enabled toggling";
}

/// <summary>
/// The whole pairing stack through the dispatchers with the native kernels off and on: same KZG verdicts and outputs,
/// same pairing values. Runs alone (it flips the process-wide <see cref="NativeFq.Enabled"/>) and restores the flag.
/// Where the kernels are not available only the managed run happens: enabling them would call unloaded code.
/// </summary>
[Collection(NativeFqToggleCollection.Name)]
public class NativeFqDispatchTests
{
    private static readonly PointEvaluationPrecompile Precompile = new();

    [Fact]
    public void Kzg_vectors_give_the_same_results_managed_and_native()
    {
        var cases = LoadKzgVectors();
        Assert.True(cases.Count >= 80, $"{cases.Count} vectors");
        var managed = KernelSwitch.Bls12381(false, () => cases.Select(c => Run(c.Input)).ToList());
        for (int i = 0; i < cases.Count; i++)
            Assert.True(cases[i].Expected == managed[i].Ok, $"managed: {cases[i].Name}");
        if (!NativeFq.Available) return;
        var native = KernelSwitch.Bls12381(true, () => cases.Select(c => Run(c.Input)).ToList());
        for (int i = 0; i < cases.Count; i++)
        {
            Assert.True(managed[i].Ok == native[i].Ok, $"native: {cases[i].Name}");
            Assert.Equal(managed[i].Output, native[i].Output);
        }
    }

    [Fact]
    public void Pairing_is_bilinear_and_identical_managed_and_native()
    {
        var rng = new Random(11);
        BigInteger a = new BigInteger(rng.NextInt64(1, long.MaxValue)) * rng.NextInt64(1, long.MaxValue);
        BigInteger b = new BigInteger(rng.NextInt64(1, long.MaxValue)) * rng.NextInt64(1, long.MaxValue);
        var managed = KernelSwitch.Bls12381(false, () => Pairings(a, b));
        Assert.False(Fp12<Fq>.Equal(managed.Left, Fp12<Fq>.One));
        Assert.True(Fp12<Fq>.Equal(managed.Left, managed.Right));
        if (!NativeFq.Available) return;
        var native = KernelSwitch.Bls12381(true, () => Pairings(a, b));
        Assert.True(Fp12<Fq>.Equal(native.Left, native.Right));
        Assert.True(Fp12<Fq>.Equal(managed.Left, native.Left));
        Assert.True(Fp12<Fq>.Equal(managed.Right, native.Right));
    }

    /// <summary>e([a]G1, [b]G2) and e([ab]G1, G2), scalar multiplications included, under the current dispatch.</summary>
    private static (Fp12<Fq> Left, Fp12<Fq> Right) Pairings(BigInteger a, BigInteger b)
    {
        var aP = Bls12381Curve.G1Generator.ToJacobian().Multiply(Scalar(a)).ToAffine();
        var bQ = Bls12381Curve.G2Generator.ToJacobian().Multiply(Scalar(b)).ToAffine();
        var abP = Bls12381Curve.G1Generator.ToJacobian().Multiply(Scalar(a * b % Bls12381Curve.R)).ToAffine();
        return (Bls12381Curve.Pair(aP, bQ), Bls12381Curve.Pair(abP, Bls12381Curve.G2Generator));
    }

    private static (bool Ok, byte[] Output) Run(byte[] input)
    {
        bool ok = Precompile.TryRun(input, out var output);
        return (ok, output);
    }

    /// <summary>The consensus-specs verify_kzg_proof vectors, as <see cref="PointEvaluationTests"/> loads them.</summary>
    private static List<(string Name, byte[] Input, bool Expected)> LoadKzgVectors()
    {
        string path = Path.Combine(PrecompileFixtures.EthereumTests, "GeneralStateTests", "Pyspecs", "cancun", "eip4844_blobs",
            "point_evaluation_precompile_external_vectors.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var cases = new List<(string, byte[], bool)>();
        foreach (var test in doc.RootElement.EnumerateObject())
        {
            var m = Regex.Match(test.Name, @"verify_kzg_proof_case_([a-z_]+?)_[0-9a-f]{16}\]");
            Assert.True(m.Success, test.Name);
            bool expected = m.Groups[1].Value.StartsWith("correct_proof", StringComparison.Ordinal);
            foreach (var data in test.Value.GetProperty("transaction").GetProperty("data").EnumerateArray())
                cases.Add((test.Name, Convert.FromHexString(data.GetString()![2..]), expected));
        }
        return cases;
    }

    private static byte[] Scalar(BigInteger v)
    {
        var w = new byte[32];
        var b = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        b.CopyTo(w, 32 - b.Length);
        return w;
    }
}

/// <summary>
/// The tower kernels (Fp12 product and square, the normalized-line product, the compressed cyclotomic squaring) against
/// the managed tower on random elements, with the output aliasing an input where the kernel allows it. Runs alone for
/// the same reason as <see cref="NativeFqDispatchTests"/>; without the kernels there is nothing to compare.
/// </summary>
[Collection(NativeFqToggleCollection.Name)]
public class NativeTowerKernelTests
{
    private const int Cases = 200;

    [Fact]
    public void Fp12_product_and_square_match_the_managed_tower()
    {
        if (!NativeFq.Available) return;
        var rng = new Random(21);
        for (int i = 0; i < Cases; i++)
        {
            Fp12<Fq> a = RandomFp12(rng), b = RandomFp12(rng);
            var managed = Managed(() => (Fp12<Fq>.Mul(a, b), Fp12<Fq>.Square(a)));
            Fp12<Fq> product = default, square = default, inPlace = a;
            NativeFq.Fp12Mul(ref Unsafe.AsRef(in product.C0.C0.A.L), a.C0.C0.A.L, b.C0.C0.A.L);
            NativeFq.Fp12Square(ref Unsafe.AsRef(in square.C0.C0.A.L), a.C0.C0.A.L);
            Assert.True(Fp12<Fq>.Equal(managed.Item1, product), $"product {i}");
            Assert.True(Fp12<Fq>.Equal(managed.Item2, square), $"square {i}");
            NativeFq.Fp12Mul(ref Unsafe.AsRef(in inPlace.C0.C0.A.L), inPlace.C0.C0.A.L, b.C0.C0.A.L);
            Assert.True(Fp12<Fq>.Equal(managed.Item1, inPlace), $"product in place {i}");
            inPlace = a;
            NativeFq.Fp12Square(ref Unsafe.AsRef(in inPlace.C0.C0.A.L), inPlace.C0.C0.A.L);
            Assert.True(Fp12<Fq>.Equal(managed.Item2, inPlace), $"square in place {i}");
        }
    }

    [Fact]
    public void Normalized_line_product_matches_the_managed_formula()
    {
        if (!NativeFq.Available) return;
        var rng = new Random(22);
        for (int i = 0; i < Cases; i++)
        {
            Fp12<Fq> f = RandomFp12(rng);
            Fp2<Fq> e1 = RandomFp2(rng), e4 = RandomFp2(rng);
            var managed = Managed(() => NormalizedLines.MulBy014One(f, e1, e4));
            Fp12<Fq> inPlace = f;
            NativeFq.Fp12MulBy014One(ref Unsafe.AsRef(in inPlace.C0.C0.A.L), inPlace.C0.C0.A.L, e1.A.L, e4.A.L);
            Assert.True(Fp12<Fq>.Equal(managed, inPlace), $"line product {i}");
            Assert.True(Fp12<Fq>.Equal(managed, Native(() => NormalizedLines.MulBy014One(f, e1, e4))), $"dispatch {i}");
        }
    }

    [Fact]
    public void Compressed_cyclotomic_squaring_matches_the_managed_one()
    {
        if (!NativeFq.Available) return;
        var rng = new Random(23);
        for (int i = 0; i < Cases; i++)
        {
            // The squaring formula is plain field arithmetic on (g2, g3, g4, g5), so any coefficients exercise it.
            var g = new Fp2<Fq>[4];
            for (int k = 0; k < 4; k++) g[k] = RandomFp2(rng);
            var expected = Managed(() =>
            {
                Fp2<Fq> g2 = g[0], g3 = g[1], g4 = g[2], g5 = g[3];
                CompressedCyclotomic<Fq>.Square(ref g2, ref g3, ref g4, ref g5);
                return new[] { g2, g3, g4, g5 };
            });
            Fp2<Fq>[] actual = (Fp2<Fq>[])g.Clone();
            NativeFq.CyclotomicSquareCompressed(ref Unsafe.AsRef(in actual[0].A.L));
            for (int k = 0; k < 4; k++) Assert.True(Fp2<Fq>.Equal(expected[k], actual[k]), $"g{k + 2} case {i}");
        }
    }

    [Fact]
    public void Final_exponentiation_of_a_miller_loop_matches_managed()
    {
        if (!NativeFq.Available) return;
        var q = Bls12381Curve.G2Generator;
        var p = Bls12381Curve.MultiplyGenerator([0x5a, 0x17, 0x03]).ToAffine();
        var managed = Managed(() => Bls12381Curve.FinalExponentiation(Bls12381Curve.MillerLoop([(p, q)])));
        var native = Native(() => Bls12381Curve.FinalExponentiation(Bls12381Curve.MillerLoop([(p, q)])));
        Assert.True(Fp12<Fq>.Equal(managed, native));
        Assert.False(Fp12<Fq>.Equal(native, Fp12<Fq>.One));
    }

    private static Fp12<Fq> RandomFp12(Random rng) => new(
        new Fp6<Fq>(RandomFp2(rng), RandomFp2(rng), RandomFp2(rng)),
        new Fp6<Fq>(RandomFp2(rng), RandomFp2(rng), RandomFp2(rng)));

    private static Fp2<Fq> RandomFp2(Random rng) => new(RandomFq(rng), RandomFq(rng));

    private static Fq RandomFq(Random rng)
    {
        var bytes = new byte[48];
        rng.NextBytes(bytes);
        return Fq.FromBig(new BigInteger(bytes, isUnsigned: true) % Bls12381Curve.P);
    }

    private static T Managed<T>(Func<T> body) => KernelSwitch.Bls12381(false, body);
    private static T Native<T>(Func<T> body) => KernelSwitch.Bls12381(true, body);
}

/// <summary>
/// The G1 kernels (doubling, addition, mixed addition) against the managed point code on multiples of the generator,
/// with the special cases the kernels hand back to the caller: equal points (a doubling) and opposite points (the
/// identity). Runs alone: it flips <see cref="NativeFq.Enabled"/>.
/// </summary>
[Collection(NativeFqToggleCollection.Name)]
public class NativeG1KernelTests
{
    [Fact]
    public void Doubling_and_additions_match_the_managed_point_code()
    {
        if (!NativeFq.EnsureInitialized()) return;
        var rng = new Random(41);
        for (int i = 0; i < 60; i++)
        {
            var p = RandomPoint(rng);
            var q = RandomPoint(rng);
            var qa = q.ToAffine();
            var expected = KernelSwitch.Bls12381(false, () => (G1Ops.Double(p), p.Add(q), p.AddAffine(qa)));
            var actual = KernelSwitch.Bls12381(true, () => (G1Ops.Double(p), G1Ops.Add(p, q), G1Ops.AddAffine(p, qa)));
            Assert.True(expected.Item1.EqualTo(actual.Item1) && SameCoordinates(expected.Item1, actual.Item1), $"double {i}");
            Assert.True(SameCoordinates(expected.Item2, actual.Item2), $"add {i}");
            Assert.True(SameCoordinates(expected.Item3, actual.Item3), $"add affine {i}");
        }
    }

    [Fact]
    public void Equal_and_opposite_points_take_the_special_paths()
    {
        if (!NativeFq.EnsureInitialized()) return;
        var rng = new Random(42);
        for (int i = 0; i < 10; i++)
        {
            var p = RandomPoint(rng);
            // The same point with a different Z: X and Y scaled by Z^2 and Z^3.
            var z = Bls12381Curve.MultiplyGenerator([(byte)(i + 2)]).X;
            var p2 = new JacobianPoint<Fq>(Fq.Mul(p.X, Fq.Square(z)), Fq.Mul(p.Y, Fq.Mul(Fq.Square(z), z)), Fq.Mul(p.Z, z));
            var pa = p.ToAffine();
            var doubled = KernelSwitch.Bls12381(false, () => G1Ops.Double(p));
            KernelSwitch.Bls12381(true, () =>
            {
                Assert.True(G1Ops.Add(p, p2).EqualTo(doubled), $"P + P {i}");
                Assert.True(G1Ops.Add(p, p2.Negate()).IsIdentity, $"P - P {i}");
                Assert.True(G1Ops.AddAffine(p2, pa).EqualTo(doubled), $"P + P affine {i}");
                Assert.True(G1Ops.AddAffine(p2, pa.Negate()).IsIdentity, $"P - P affine {i}");
                Assert.True(G1Ops.Add(JacobianPoint<Fq>.Identity, p).EqualTo(p), $"O + P {i}");
                Assert.True(G1Ops.AddAffine(p, AffinePoint<Fq>.Identity).EqualTo(p), $"P + O {i}");
                Assert.True(G1Ops.Double(JacobianPoint<Fq>.Identity).IsIdentity, $"2 O {i}");
                return 0;
            });
        }
    }

    /// <summary>A random multiple of the generator, with a Z other than one (a doubling of a random point).</summary>
    private static JacobianPoint<Fq> RandomPoint(Random rng)
    {
        var k = new byte[32];
        rng.NextBytes(k);
        k[0] &= 0x3f;
        return KernelSwitch.Bls12381(false, () => G1Ops.Double(Bls12381Curve.MultiplyGenerator(k)));
    }

    private static bool SameCoordinates(in JacobianPoint<Fq> a, in JacobianPoint<Fq> b) =>
        Fq.Equal(a.X, b.X) && Fq.Equal(a.Y, b.Y) && Fq.Equal(a.Z, b.Z);
}
