using System.Runtime.CompilerServices;
using OpenLedger.Crypto.FieldMath;

namespace OpenLedger.Crypto.Bls12381;

/// <summary>
/// The BLS12-381 base-field kernels in x86-64 assembly (FieldMath/Native/field_kernels_x86_64.s, loaded by
/// <see cref="NativeFieldLibrary"/>). They use mulx with adcx/adox, two independent carry
/// chains that C# cannot express; the 6-limb product is ~37 ns against the managed ~87 ns.
/// </summary>
/// <remarks>
/// Used only when the library loads, the CPU has BMI2 and ADX, a self-check against the managed code passes, and
/// OPENLEDGER_NATIVE_FIELD is not "0". Otherwise <see cref="Bls12381FqArith"/> runs its managed code, which stays the
/// reference: the tests compare the two on random and edge inputs and run every KZG vector through both.
/// The calls suppress the GC transition (each kernel takes at most a few microseconds and never calls back); the
/// operands are pinned by <c>fixed</c> for the call.
/// </remarks>
internal static unsafe class NativeFq
{
    /// <summary>Whether the native kernels are in use. Tests switch it off to run the managed path.</summary>
    internal static bool Enabled;

    /// <summary>Why the native kernels are not in use (null when they are, or before the first check).</summary>
    internal static string? DisabledReason { get; private set; }

    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, void> MulFn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, void> AddFn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, void> SubFn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, ulong*, void> Sop2Fn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, ulong*, ulong*, ulong*, void> Sop3Fn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, ulong*, ulong*, void> Fp2MulFn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, void> Fp2SqrFn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, ulong*, ulong*, ulong*, ulong*, void> Fp4SqrFn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, void> Fp12MulFn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, void> Fp12SqrFn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, void> Fp12MulBy014OneFn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, void> CycSqrFn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, void> G1DblFn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, int> G1AddFn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, int> G1AddAffineFn;

    /// <summary>True when the library loaded and passed its self-check (whatever <see cref="Enabled"/> says now).</summary>
    /// <remarks>
    /// Set by a field initializer rather than a static constructor: the type stays beforefieldinit, so jitted callers
    /// read <see cref="Enabled"/> without a class-initialization check on every field operation. The fields that
    /// <see cref="Initialize"/> sets are declared above and have no initializers of their own.
    /// </remarks>
    internal static readonly bool Available = Initialize();

    private static bool Initialize()
    {
        DisabledReason = NativeFieldLibrary.DisabledReason;
        if (DisabledReason is not null) return false;
        var exports = new NativeFieldLibrary.Exports();
        MulFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, void>)exports["ol_bls12381_fp_mul"];
        AddFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, void>)exports["ol_bls12381_fp_add"];
        SubFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, void>)exports["ol_bls12381_fp_sub"];
        Sop2Fn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, ulong*, void>)exports["ol_bls12381_fp_sop2"];
        Sop3Fn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, ulong*, ulong*, ulong*, void>)exports["ol_bls12381_fp_sop3"];
        Fp2MulFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, ulong*, ulong*, void>)exports["ol_bls12381_fp2_mul"];
        Fp2SqrFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, void>)exports["ol_bls12381_fp2_sqr"];
        Fp4SqrFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, ulong*, ulong*, ulong*, ulong*, void>)exports["ol_bls12381_fp4_sqr"];
        Fp12MulFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, void>)exports["ol_bls12381_fp12_mul"];
        Fp12SqrFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, void>)exports["ol_bls12381_fp12_sqr"];
        Fp12MulBy014OneFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, void>)exports["ol_bls12381_fp12_mul_by_014_one"];
        CycSqrFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, void>)exports["ol_bls12381_cyclotomic_sqr_compressed"];
        G1DblFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, void>)exports["ol_bls12381_g1_dbl"];
        G1AddFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, int>)exports["ol_bls12381_g1_add"];
        G1AddAffineFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, int>)exports["ol_bls12381_g1_add_affine"];
        if (exports.Missing is not null)
        {
            DisabledReason = $"{NativeFieldLibrary.FileName} lacks {exports.Missing} (a stale build?)";
            return false;
        }
        if (!TowerLayoutIsContiguous())
        {
            DisabledReason = "the Fp2/Fp6/Fp12 structs are not laid out as consecutive coefficients";
            return false;
        }
        if (!SelfCheck())
        {
            DisabledReason = "the native kernels disagree with the managed code";
            return false;
        }
        Enabled = true;
        return true;
    }

    /// <summary>Touches the type so its initializer has run before a caller reads <see cref="Enabled"/>.</summary>
    internal static bool EnsureInitialized() => Available;


    // The tower kernels read Fp12 values as 12 consecutive 48-byte coefficients in tower order.
    private static bool TowerLayoutIsContiguous()
    {
        Fp12<Fp<Bls12381FqParams>> x = default;
        ref byte start = ref Unsafe.As<Fp12<Fp<Bls12381FqParams>>, byte>(ref x);
        return Unsafe.SizeOf<Fp12<Fp<Bls12381FqParams>>>() == 12 * 48
            && Unsafe.ByteOffset(ref start, ref Unsafe.As<Limbs6, byte>(ref Unsafe.AsRef(in x.C0.C1.B.L))) == 3 * 48
            && Unsafe.ByteOffset(ref start, ref Unsafe.As<Limbs6, byte>(ref Unsafe.AsRef(in x.C1.C0.A.L))) == 6 * 48
            && Unsafe.ByteOffset(ref start, ref Unsafe.As<Limbs6, byte>(ref Unsafe.AsRef(in x.C1.C2.B.L))) == 11 * 48
            && PointLayoutIsContiguous();
    }

    // One product and one Fp12 product against the managed code (Enabled is still false here, so the generic tower
    // runs managed): a library that loads but computes wrong values is never used.
    // The G1 kernels read a Jacobian point as X, Y, Z and an affine one as X, Y, each 48 bytes apart.
    private static bool PointLayoutIsContiguous()
    {
        JacobianPoint<Fp<Bls12381FqParams>> j = default;
        AffinePoint<Fp<Bls12381FqParams>> a = default;
        ref byte js = ref Unsafe.As<JacobianPoint<Fp<Bls12381FqParams>>, byte>(ref j);
        ref byte az = ref Unsafe.As<AffinePoint<Fp<Bls12381FqParams>>, byte>(ref a);
        return Unsafe.ByteOffset(ref js, ref Unsafe.As<Limbs6, byte>(ref Unsafe.AsRef(in j.Y.L))) == 48
            && Unsafe.ByteOffset(ref js, ref Unsafe.As<Limbs6, byte>(ref Unsafe.AsRef(in j.Z.L))) == 96
            && Unsafe.ByteOffset(ref az, ref Unsafe.As<Limbs6, byte>(ref Unsafe.AsRef(in a.Y.L))) == 48;
    }

    private static bool SelfCheck()
    {
        Limbs6 a = default, b = default, rn = default, rm = default;
        for (int i = 0; i < 6; i++)
        {
            a[i] = 0x9e3779b97f4a7c15UL * (ulong)(i + 1);
            b[i] = 0xc2b2ae3d27d4eb4fUL * (ulong)(i + 3);
        }
        a[5] &= 0x0fffffffffffffffUL; // below p
        b[5] &= 0x0fffffffffffffffUL;
        Mul(ref rn, a, b);
        Bls12381FqArith.MulManaged(ref rm, a, b);
        for (int i = 0; i < 6; i++)
            if (rn[i] != rm[i]) return false;

        var x = new Fp2<Fp<Bls12381FqParams>>(new Fp<Bls12381FqParams> { L = a }, new Fp<Bls12381FqParams> { L = b });
        var y = new Fp2<Fp<Bls12381FqParams>>(new Fp<Bls12381FqParams> { L = rn }, new Fp<Bls12381FqParams> { L = a });
        var f = new Fp12<Fp<Bls12381FqParams>>(new Fp6<Fp<Bls12381FqParams>>(x, y, x), new Fp6<Fp<Bls12381FqParams>>(y, y, x));
        var g = new Fp12<Fp<Bls12381FqParams>>(new Fp6<Fp<Bls12381FqParams>>(y, x, x), new Fp6<Fp<Bls12381FqParams>>(x, y, y));
        var managed = Fp12<Fp<Bls12381FqParams>>.Mul(f, g);
        Fp12<Fp<Bls12381FqParams>> native = default;
        Fp12Mul(ref Unsafe.AsRef(in native.C0.C0.A.L), f.C0.C0.A.L, g.C0.C0.A.L);
        return Fp12<Fp<Bls12381FqParams>>.Equal(native, managed);
    }

    // Each wrapper pins its operands for the call: Limbs6 values may live inside heap objects (line tables, arrays).

    public static void Mul(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        fixed (ulong* pr = &r[0], pa = &Unsafe.AsRef(in a)[0], pb = &Unsafe.AsRef(in b)[0]) MulFn(pr, pa, pb);
    }

    public static void Add(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        fixed (ulong* pr = &r[0], pa = &Unsafe.AsRef(in a)[0], pb = &Unsafe.AsRef(in b)[0]) AddFn(pr, pa, pb);
    }

    public static void Sub(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        fixed (ulong* pr = &r[0], pa = &Unsafe.AsRef(in a)[0], pb = &Unsafe.AsRef(in b)[0]) SubFn(pr, pa, pb);
    }

    public static void SumOfProducts(ref Limbs6 r, in Limbs6 a, in Limbs6 b, in Limbs6 c, in Limbs6 d)
    {
        fixed (ulong* pr = &r[0], pa = &Unsafe.AsRef(in a)[0], pb = &Unsafe.AsRef(in b)[0], pc = &Unsafe.AsRef(in c)[0], pd = &Unsafe.AsRef(in d)[0])
            Sop2Fn(pr, pa, pb, pc, pd);
    }

    public static void SumOfProducts(ref Limbs6 r, in Limbs6 a, in Limbs6 b, in Limbs6 c, in Limbs6 d, in Limbs6 e, in Limbs6 f)
    {
        fixed (ulong* pr = &r[0], pa = &Unsafe.AsRef(in a)[0], pb = &Unsafe.AsRef(in b)[0], pc = &Unsafe.AsRef(in c)[0], pd = &Unsafe.AsRef(in d)[0],
               pe = &Unsafe.AsRef(in e)[0], pf = &Unsafe.AsRef(in f)[0])
            Sop3Fn(pr, pa, pb, pc, pd, pe, pf);
    }

    public static void Fp2Mul(ref Limbs6 r0, ref Limbs6 r1, in Limbs6 a0, in Limbs6 a1, in Limbs6 b0, in Limbs6 b1)
    {
        fixed (ulong* p0 = &r0[0], p1 = &r1[0], pa0 = &Unsafe.AsRef(in a0)[0], pa1 = &Unsafe.AsRef(in a1)[0], pb0 = &Unsafe.AsRef(in b0)[0], pb1 = &Unsafe.AsRef(in b1)[0])
            Fp2MulFn(p0, p1, pa0, pa1, pb0, pb1);
    }

    public static void Fp2Square(ref Limbs6 r0, ref Limbs6 r1, in Limbs6 a0, in Limbs6 a1)
    {
        fixed (ulong* p0 = &r0[0], p1 = &r1[0], pa0 = &Unsafe.AsRef(in a0)[0], pa1 = &Unsafe.AsRef(in a1)[0]) Fp2SqrFn(p0, p1, pa0, pa1);
    }

    public static void Fp4Square(ref Limbs6 c00, ref Limbs6 c01, ref Limbs6 c10, ref Limbs6 c11, in Limbs6 a0, in Limbs6 a1, in Limbs6 b0, in Limbs6 b1)
    {
        fixed (ulong* p00 = &c00[0], p01 = &c01[0], p10 = &c10[0], p11 = &c11[0],
               pa0 = &Unsafe.AsRef(in a0)[0], pa1 = &Unsafe.AsRef(in a1)[0], pb0 = &Unsafe.AsRef(in b0)[0], pb1 = &Unsafe.AsRef(in b1)[0])
            Fp4SqrFn(p00, p01, p10, p11, pa0, pa1, pb0, pb1);
    }

    // The tower kernels: each ref is the first limb block of a contiguous element (see TowerLayoutIsContiguous).

    public static void Fp12Mul(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        fixed (ulong* pr = &r[0], pa = &Unsafe.AsRef(in a)[0], pb = &Unsafe.AsRef(in b)[0]) Fp12MulFn(pr, pa, pb);
    }

    public static void Fp12Square(ref Limbs6 r, in Limbs6 a)
    {
        fixed (ulong* pr = &r[0], pa = &Unsafe.AsRef(in a)[0]) Fp12SqrFn(pr, pa);
    }

    /// <summary>r = f * ((1 + e1 v) + (e4 v) w) for Fp12 r, f and Fp2 e1, e4.</summary>
    public static void Fp12MulBy014One(ref Limbs6 r, in Limbs6 f, in Limbs6 e1, in Limbs6 e4)
    {
        fixed (ulong* pr = &r[0], pf = &Unsafe.AsRef(in f)[0], p1 = &Unsafe.AsRef(in e1)[0], p4 = &Unsafe.AsRef(in e4)[0]) Fp12MulBy014OneFn(pr, pf, p1, p4);
    }

    /// <summary>One compressed cyclotomic squaring in place on four consecutive Fp2 (g2, g3, g4, g5).</summary>
    public static void CyclotomicSquareCompressed(ref Limbs6 g)
    {
        fixed (ulong* pg = &g[0]) CycSqrFn(pg);
    }

    // G1 kernels: refs are the X limbs of Jacobian (X, Y, Z) or affine (X, Y) points; the caller has handled the
    // identity (and Y = 0 for doubling). The additions return 0 (sum written), 1 (equal points: double instead) or
    // 2 (opposite points: the identity), writing nothing in the last two cases.

    public static void G1Double(ref Limbs6 r, in Limbs6 p)
    {
        fixed (ulong* pr = &r[0], pp = &Unsafe.AsRef(in p)[0]) G1DblFn(pr, pp);
    }

    public static int G1Add(ref Limbs6 r, in Limbs6 p, in Limbs6 q)
    {
        fixed (ulong* pr = &r[0], pp = &Unsafe.AsRef(in p)[0], pq = &Unsafe.AsRef(in q)[0]) return G1AddFn(pr, pp, pq);
    }

    public static int G1AddAffine(ref Limbs6 r, in Limbs6 p, in Limbs6 q)
    {
        fixed (ulong* pr = &r[0], pp = &Unsafe.AsRef(in p)[0], pq = &Unsafe.AsRef(in q)[0]) return G1AddAffineFn(pr, pp, pq);
    }
}
