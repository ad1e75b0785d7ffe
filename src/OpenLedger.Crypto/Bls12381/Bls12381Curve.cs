using System.Numerics;
using OpenLedger.Crypto.FieldMath;
using OpenLedger.Primitives;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>>;

namespace OpenLedger.Crypto.Bls12381;

/// <summary>The BLS12-381 base field; tower non-residue xi = 1 + u.</summary>
internal struct Bls12381FqParams : IFpParams
{
    public static FpConstants C { get; } = new(BigInteger.Parse(
        "01a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
        System.Globalization.NumberStyles.HexNumber), 6);

    public static int XiReal => 1;
    public static void MontMul(ref Limbs6 r, in Limbs6 a, in Limbs6 b) => Bls12381FqArith.Mul(ref r, a, b);
    public static void MontSquare(ref Limbs6 r, in Limbs6 a) => Bls12381FqArith.Square(ref r, a);
    public static void ModAdd(ref Limbs6 r, in Limbs6 a, in Limbs6 b) => Bls12381FqArith.Add(ref r, a, b);
    public static void InversePlain(ref Limbs6 r, in Limbs6 a) => Inversion.Invert(r, a);

    /// <summary>Bernstein-Yang inversion: about 4x faster here than the binary one (<see cref="Bls12381FqArith.InversePlain"/>, kept as a reference).</summary>
    private static readonly SafeGcdInversion Inversion = new(C.Modulus);
    public static void ModSub(ref Limbs6 r, in Limbs6 a, in Limbs6 b) => Bls12381FqArith.Sub(ref r, a, b);
    public static void Fp2Mul(ref Limbs6 r0, ref Limbs6 r1, in Limbs6 a0, in Limbs6 a1, in Limbs6 b0, in Limbs6 b1) =>
        Bls12381FqArith.Fp2Mul(ref r0, ref r1, a0, a1, b0, b1);
    public static void Fp2Square(ref Limbs6 r0, ref Limbs6 r1, in Limbs6 a0, in Limbs6 a1) => Bls12381FqArith.Fp2Square(ref r0, ref r1, a0, a1);
    public static bool Fp4Square(ref Limbs6 c00, ref Limbs6 c01, ref Limbs6 c10, ref Limbs6 c11, in Limbs6 a0, in Limbs6 a1, in Limbs6 b0, in Limbs6 b1)
    {
        Bls12381FqArith.Fp4Square(ref c00, ref c01, ref c10, ref c11, a0, a1, b0, b1);
        return true;
    }

    public static bool Fp12Mul(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        if (!NativeFq.Enabled) return false;
        NativeFq.Fp12Mul(ref r, a, b);
        return true;
    }

    public static bool Fp12Square(ref Limbs6 r, in Limbs6 a)
    {
        if (!NativeFq.Enabled) return false;
        NativeFq.Fp12Square(ref r, a);
        return true;
    }

    public static bool CyclotomicSquareCompressed(ref Limbs6 g)
    {
        if (!NativeFq.Enabled) return false;
        NativeFq.CyclotomicSquareCompressed(ref g);
        return true;
    }
}

/// <summary>BLS12-381: y^2 = x^3 + 4 over Fp; G2 on the M-type twist y^2 = x^3 + 4(1 + u) over Fp2.</summary>
internal static class Bls12381Curve
{
    public static BigInteger P => Bls12381FqParams.C.P;
    public static readonly BigInteger R = BigInteger.Parse("073eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", System.Globalization.NumberStyles.HexNumber);
    /// <summary>|x| for the curve parameter x = -0xd201000000010000.</summary>
    public const ulong AbsX = 0xd201000000010000UL;

    public static readonly Fq B = Fq.FromBig(4);
    public static readonly Fq2 TwistB = Fq2.Mul(new Fq2(B, Fq.Zero), Fq2.Xi);
    public static readonly byte[] OrderBytes = R.ToByteArray(isUnsigned: true, isBigEndian: true);

    public static readonly AffinePoint<Fq> G1Generator = new(
        Hex("17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"),
        Hex("08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1"));

    public static readonly AffinePoint<Fq2> G2Generator = new(
        new Fq2(Hex("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"),
                Hex("13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e")),
        new Fq2(Hex("0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801"),
                Hex("0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be")));

    /// <summary>
    /// Fixed-base table for the G1 generator, affine: entry [i][d] is d * 16^i * G (d &gt;= 1), so [k]G takes one mixed
    /// addition per nonzero nibble of k.
    /// </summary>
    private static readonly Lazy<AffinePoint<Fq>[][]> GeneratorTable = new(() =>
    {
        var table = new AffinePoint<Fq>[64][];
        JacobianPoint<Fq> baseI = G1Generator.ToJacobian();
        for (int i = 0; i < 64; i++)
        {
            table[i] = new AffinePoint<Fq>[16];
            table[i][0] = AffinePoint<Fq>.Identity;
            JacobianPoint<Fq> acc = JacobianPoint<Fq>.Identity;
            for (int d = 1; d < 16; d++)
            {
                acc = acc.Add(baseI);
                table[i][d] = acc.ToAffine();
            }
            baseI = acc.Add(baseI);
        }
        return table;
    });

    /// <summary>[k]G1 for a scalar of at most 32 bytes (big-endian), from the fixed-base table.</summary>
    public static JacobianPoint<Fq> MultiplyGenerator(ReadOnlySpan<byte> scalarBe)
    {
        var table = GeneratorTable.Value;
        JacobianPoint<Fq> r = JacobianPoint<Fq>.Identity;
        for (int i = 0; i < scalarBe.Length; i++)
        {
            byte b = scalarBe[scalarBe.Length - 1 - i];
            if ((b & 15) != 0) r = G1Ops.AddAffine(r, table[2 * i][b & 15]);
            if ((b >> 4) != 0) r = G1Ops.AddAffine(r, table[2 * i + 1][b >> 4]);
        }
        return r;
    }

    private static Fq Hex(string h) => Fq.FromBig(BigInteger.Parse("0" + h, System.Globalization.NumberStyles.HexNumber));

    private const byte CompressionFlag = 0x80, InfinityFlag = 0x40, SortFlag = 0x20;

    /// <summary>
    /// Decompresses a 48-byte G1 point (ZCash encoding) with every check: compression flag set, canonical infinity,
    /// x below p, x on the curve, and the point in the order-r subgroup.
    /// </summary>
    public static bool TryDecompressG1(ReadOnlySpan<byte> b, out AffinePoint<Fq> point)
    {
        point = AffinePoint<Fq>.Identity;
        if (b.Length != 48 || (b[0] & CompressionFlag) == 0) return false;
        if ((b[0] & InfinityFlag) != 0)
        {
            if ((b[0] & ~(CompressionFlag | InfinityFlag)) != 0) return false;
            foreach (byte x in b[1..]) if (x != 0) return false;
            return true;
        }
        Span<byte> xb = stackalloc byte[48];
        b.CopyTo(xb);
        xb[0] &= 0x1f;
        if (!Fq.TryFromBytes(xb, out Fq xv)) return false;
        Fq rhs = Fq.Add(Fq.Mul(Fq.Square(xv), xv), B);
        if (!Fq.TrySqrt(rhs, out Fq y)) return false;
        if (y.IsLexLarger() != ((b[0] & SortFlag) != 0)) y = Fq.Neg(y);
        point = new AffinePoint<Fq>(xv, y);
        return InG1Subgroup(point);
    }

    /// <summary>Decompresses a 96-byte G2 point (x.c1 || x.c0, flags on the first byte) with the same checks.</summary>
    public static bool TryDecompressG2(ReadOnlySpan<byte> b, out AffinePoint<Fq2> point)
    {
        point = AffinePoint<Fq2>.Identity;
        if (b.Length != 96 || (b[0] & CompressionFlag) == 0) return false;
        if ((b[0] & InfinityFlag) != 0)
        {
            if ((b[0] & ~(CompressionFlag | InfinityFlag)) != 0) return false;
            foreach (byte x in b[1..]) if (x != 0) return false;
            return true;
        }
        Span<byte> c1 = stackalloc byte[48];
        b[..48].CopyTo(c1);
        c1[0] &= 0x1f;
        if (!Fq.TryFromBytes(c1, out Fq x1) || !Fq.TryFromBytes(b[48..], out Fq x0)) return false;
        Fq2 xv = new(x0, x1);
        Fq2 rhs = Fq2.Add(Fq2.Mul(Fq2.Square(xv), xv), TwistB);
        if (!Fq2.TrySqrt(rhs, out Fq2 y)) return false;
        bool larger = y.B.IsZero ? y.A.IsLexLarger() : y.B.IsLexLarger();
        if (larger != ((b[0] & SortFlag) != 0)) y = Fq2.Neg(y);
        point = new AffinePoint<Fq2>(xv, y);
        return point.ToJacobian().Multiply(OrderBytes).IsIdentity;
    }

    /// <summary>
    /// G1 membership by the endomorphism test (Bowe, "Faster subgroup checks for BLS12-381"): a curve point P is in
    /// the order-r subgroup iff phi(P) = [-x^2]P, where phi(x, y) = (beta x, y) for the matching cube root of unity beta.
    /// Two 64-bit multiplications instead of one 255-bit one.
    /// </summary>
    public static bool InG1Subgroup(in AffinePoint<Fq> p)
    {
        if (p.Infinity) return true;
        JacobianPoint<Fq> x2p = G1Ops.MultiplyBinary(G1Ops.MultiplyBinary(p, AbsX), AbsX);
        return G1Ops.Add(new AffinePoint<Fq>(Fq.Mul(p.X, Beta), p.Y).ToJacobian(), x2p).IsIdentity;
    }

    // The GLV split in 256-bit words (no BigInteger on the precompile's path).
    private static readonly UInt256 OrderWord = (UInt256)R;
    private static readonly UInt256 AbsXSquared = (UInt256)AbsX * (UInt256)AbsX;
    private static readonly UInt128 HalfScalarBound = UInt128.MaxValue - 15; // k0 < x^2, k1 <= r/x^2: far below

    /// <summary>Odd multiples P, 3P, ..., 15P on the stack.</summary>
    [System.Runtime.CompilerServices.InlineArray(8)]
    private struct OddMultiples
    {
        private JacobianPoint<Fq> _first;
    }

    /// <summary>
    /// [k]P for P in the order-r subgroup of G1, by the GLV split over the same endomorphism: with k mod r = k0 + k1 x^2
    /// (k0, k1 &lt; 2^128) and [x^2]P = -phi(P) = (beta x, -y), [k]P = [k0]P + [k1](-phi(P)), evaluated jointly with
    /// width-5 NAF digits: half the doublings of a plain 255-bit multiplication. Only valid for subgroup points.
    /// </summary>
    public static JacobianPoint<Fq> MultiplyG1Subgroup(in AffinePoint<Fq> p, ReadOnlySpan<byte> scalarBe)
    {
        if (p.Infinity) return JacobianPoint<Fq>.Identity;
        GlvSplit(scalarBe, out UInt128 k0, out UInt128 k1);
        Span<sbyte> d0 = stackalloc sbyte[130], d1 = stackalloc sbyte[130];
        int len = Math.Max(Wnaf(k0, d0), Wnaf(k1, d1));
        // Odd multiples P, 3P, ..., 15P, and -phi of each: [i](-phi(P)) = -phi([i]P), where phi acts on Jacobian
        // coordinates as (X, Y, Z) -> (beta X, Y, Z): one product each.
        OddMultiples bufP = default, bufQ = default;
        Span<JacobianPoint<Fq>> tp = bufP, tq = bufQ;
        tp[0] = p.ToJacobian();
        JacobianPoint<Fq> twoP = G1Ops.Double(tp[0]);
        for (int i = 1; i < 8; i++) tp[i] = G1Ops.Add(tp[i - 1], twoP);
        for (int i = 0; i < 8; i++) tq[i] = new JacobianPoint<Fq>(Fq.Mul(tp[i].X, Beta), Fq.Neg(tp[i].Y), tp[i].Z);
        JacobianPoint<Fq> r = JacobianPoint<Fq>.Identity;
        for (int i = len - 1; i >= 0; i--)
        {
            r = G1Ops.Double(r);
            if (d0[i] != 0) r = G1Ops.Add(r, d0[i] > 0 ? tp[d0[i] >> 1] : tp[-d0[i] >> 1].Negate());
            if (d1[i] != 0) r = G1Ops.Add(r, d1[i] > 0 ? tq[d1[i] >> 1] : tq[-d1[i] >> 1].Negate());
        }
        return r;
    }

    /// <summary>k mod r = k0 + k1 x^2 with k0, k1 below 2^128 - 16 (for a 32-byte big-endian k).</summary>
    public static void GlvSplit(ReadOnlySpan<byte> scalarBe, out UInt128 k0, out UInt128 k1)
    {
        if (scalarBe.Length != 32) throw new ArgumentException("scalar must be 32 bytes", nameof(scalarBe));
        UInt256 k = UInt256.FromBigEndian(scalarBe);
        if (k >= OrderWord) k %= OrderWord;
        UInt256 k1w = k / AbsXSquared, k0w = k - k1w * AbsXSquared;
        if (k0w.u2 != 0 || k0w.u3 != 0 || k1w.u2 != 0 || k1w.u3 != 0) throw new InvalidOperationException("GLV half-scalar exceeds 128 bits");
        k0 = new(k0w.u1, k0w.u0);
        k1 = new(k1w.u1, k1w.u0);
        if (k0 >= HalfScalarBound || k1 >= HalfScalarBound) throw new InvalidOperationException("GLV half-scalar exceeds 128 bits");
    }

    /// <summary>-phi(P) = (beta x, -y), which is [x^2]P for P in the subgroup.</summary>
    public static AffinePoint<Fq> MinusPhi(in AffinePoint<Fq> p) => p.Infinity ? p : new(Fq.Mul(p.X, Beta), Fq.Neg(p.Y));

    /// <summary>
    /// Width-5 NAF of k (digits odd in [-15, 15] or zero, any two nonzero digits at least five apart: about one addition
    /// per six bits instead of one per four); returns the digit count. k below 2^128 - 16 so that k + 15 cannot wrap.
    /// </summary>
    private static int Wnaf(UInt128 k, Span<sbyte> digits)
    {
        digits.Clear();
        int i = 0;
        while (k != 0)
        {
            if ((k & 1) != 0)
            {
                int d = (int)(k & 31);
                if (d >= 16) d -= 32;
                digits[i] = (sbyte)d;
                k = d >= 0 ? k - (UInt128)d : k + (UInt128)(-d);
            }
            k >>= 1;
            i++;
        }
        return i;
    }

    /// <summary>The plain subgroup test [r]P = O, kept as the reference for the endomorphism test.</summary>
    internal static bool InG1SubgroupByOrder(in AffinePoint<Fq> p) => p.ToJacobian().Multiply(OrderBytes).IsIdentity;

    private static readonly byte[] AbsXBytes = BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(AbsX));

    /// <summary>The primitive cube root of unity for which phi acts on G1 as [-x^2] (checked on the generator).</summary>
    private static readonly Fq Beta = FindBeta();

    private static Fq FindBeta()
    {
        BigInteger e = (P - 1) / 3;
        for (int g = 2; ; g++)
        {
            Fq b = FieldOps.Pow(Fq.FromBig(g), e);
            if (Fq.Equal(b, Fq.One)) continue;
            JacobianPoint<Fq> x2g = G1Generator.ToJacobian().Multiply(AbsXBytes).Multiply(AbsXBytes);
            foreach (Fq candidate in new[] { b, Fq.Square(b) })
                if (new AffinePoint<Fq>(Fq.Mul(G1Generator.X, candidate), G1Generator.Y).ToJacobian().Add(x2g).IsIdentity)
                    return candidate;
            throw new InvalidOperationException("no cube root of unity matches the G1 endomorphism");
        }
    }

    /// <summary>Product over pairs of the Miller loops f_{|x|,Q}(P), conjugated because x is negative.</summary>
    public static Fp12<Fq> MillerLoop(ReadOnlySpan<(AffinePoint<Fq> P, AffinePoint<Fq2> Q)> pairs)
    {
        var active = new List<(AffinePoint<Fq> P, AffinePoint<Fq2> Q)>(pairs.Length);
        foreach (var pq in pairs)
            if (!pq.P.Infinity && !pq.Q.Infinity) active.Add(pq);
        Fp12<Fq> f = Fp12<Fq>.One;
        if (active.Count == 0) return f;
        var r = new TwistPoint<Fq>[active.Count];
        for (int k = 0; k < active.Count; k++) r[k] = new TwistPoint<Fq> { X = active[k].Q.X, Y = active[k].Q.Y, Z = Fq2.One };

        for (int i = 62 - BitOperations.LeadingZeroCount(AbsX); i >= 0; i--)
        {
            f = Fp12<Fq>.Square(f);
            for (int k = 0; k < active.Count; k++)
                f = PairingLines<Fq>.MulLine(f, PairingLines<Fq>.Double(ref r[k], TwistB, mType: true), active[k].P, mType: true);
            if (((AbsX >> i) & 1) == 0) continue;
            for (int k = 0; k < active.Count; k++)
                f = PairingLines<Fq>.MulLine(f, PairingLines<Fq>.Add(ref r[k], active[k].Q, mType: true), active[k].P, mType: true);
        }
        return Fp12<Fq>.Conjugate(f);
    }

    /// <summary>The Miller loop's line coefficients for a fixed G2 point, in loop order (doubling, then addition where x has a 1).</summary>
    public static (Fq2, Fq2, Fq2)[] PrepareG2(in AffinePoint<Fq2> q)
    {
        var lines = new List<(Fq2, Fq2, Fq2)>();
        var r = new TwistPoint<Fq> { X = q.X, Y = q.Y, Z = Fq2.One };
        for (int i = 62 - BitOperations.LeadingZeroCount(AbsX); i >= 0; i--)
        {
            lines.Add(PairingLines<Fq>.Double(ref r, TwistB, mType: true));
            if (((AbsX >> i) & 1) != 0) lines.Add(PairingLines<Fq>.Add(ref r, q, mType: true));
        }
        return lines.ToArray();
    }

    /// <summary>The Miller loop product over pairs whose G2 side is prepared (neither side at infinity).</summary>
    public static Fp12<Fq> MillerLoopPrepared(ReadOnlySpan<(AffinePoint<Fq> P, (Fq2, Fq2, Fq2)[] Lines)> pairs)
    {
        Fp12<Fq> f = Fp12<Fq>.One;
        int step = 0;
        for (int i = 62 - BitOperations.LeadingZeroCount(AbsX); i >= 0; i--)
        {
            f = Fp12<Fq>.Square(f);
            foreach (var (p, lines) in pairs)
                if (!p.Infinity) f = PairingLines<Fq>.MulLine(f, lines[step], p, mType: true);
            step++;
            if (((AbsX >> i) & 1) == 0) continue;
            foreach (var (p, lines) in pairs)
                if (!p.Infinity) f = PairingLines<Fq>.MulLine(f, lines[step], p, mType: true);
            step++;
        }
        return Fp12<Fq>.Conjugate(f);
    }

    /// <summary>a^x for a in the cyclotomic subgroup (x negative: conjugate of a^|x|).</summary>
    private static Fp12<Fq> ExpByX(in Fp12<Fq> a) => Fp12<Fq>.Conjugate(CompressedCyclotomic<Fq>.Pow(a, AbsX));

    /// <summary>
    /// f^(3(p^12 - 1)/r): easy part f^((p^6 - 1)(p^2 + 1)), then the hard part through
    /// 3(p^4 - p^2 + 1)/r = (x - 1)^2 (x + p)(x^2 + p^2 - 1) + 3. The extra cube is a bijection on the r-torsion,
    /// so a product of pairings is one exactly when this is one.
    /// </summary>
    public static Fp12<Fq> FinalExponentiation(in Fp12<Fq> f)
    {
        Fp12<Fq> m = Fp12<Fq>.Mul(Fp12<Fq>.Conjugate(f), Fp12<Fq>.Inverse(f));
        m = Fp12<Fq>.Mul(Fp12<Fq>.Frobenius(Fp12<Fq>.Frobenius(m)), m);
        Fp12<Fq> a = Fp12<Fq>.Mul(ExpByX(m), Fp12<Fq>.Conjugate(m));
        a = Fp12<Fq>.Mul(ExpByX(a), Fp12<Fq>.Conjugate(a));
        Fp12<Fq> b = Fp12<Fq>.Mul(ExpByX(a), Fp12<Fq>.Frobenius(a));
        Fp12<Fq> c = Fp12<Fq>.Mul(Fp12<Fq>.Mul(ExpByX(ExpByX(b)), Fp12<Fq>.Frobenius(Fp12<Fq>.Frobenius(b))), Fp12<Fq>.Conjugate(b));
        return Fp12<Fq>.Mul(c, Fp12<Fq>.Mul(Fp12<Fq>.CyclotomicSquare(m), m));
    }

    /// <summary>The easy part alone, exposed so tests can check the hard-part chain against plain exponentiation.</summary>
    internal static Fp12<Fq> EasyPart(in Fp12<Fq> f)
    {
        Fp12<Fq> m = Fp12<Fq>.Mul(Fp12<Fq>.Conjugate(f), Fp12<Fq>.Inverse(f));
        return Fp12<Fq>.Mul(Fp12<Fq>.Frobenius(Fp12<Fq>.Frobenius(m)), m);
    }

    public static Fp12<Fq> Pair(in AffinePoint<Fq> p, in AffinePoint<Fq2> q) => FinalExponentiation(MillerLoop([(p, q)]));

    /// <summary>Whether the product of e(P_i, Q_i) is one (EIP-2537 0x0f, EIP-197 style); pairs with a point at infinity contribute one.</summary>
    public static bool PairingCheck(ReadOnlySpan<(AffinePoint<Fq> P, AffinePoint<Fq2> Q)> pairs) =>
        Fp12<Fq>.Equal(FinalExponentiation(MillerLoop(pairs)), Fp12<Fq>.One);
}
