using System.Runtime.CompilerServices;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bn254.Bn254FqParams>;

namespace OpenLedger.Crypto.Bn254;

/// <summary>
/// The BN254 (alt_bn128) kernels in x86-64 assembly: Fp2 product and square and the Fp12 product and square that the
/// pairing (0x08) spends its time in, from the same generated file as the BLS12-381 ones (<see cref="NativeFieldLibrary"/>).
/// Four limbs in the same 48-byte slots as the managed Limbs6; the kernels touch only the low four.
/// </summary>
/// <remarks>
/// Used when the library loads, its exports are all there, the struct layout is the one the kernels assume and a
/// self-check against the managed code passes; otherwise (or with OPENLEDGER_NATIVE_FIELD=0) the managed code runs.
/// The G1 code of 0x06/0x07 stays managed: its 4-limb products are already cheap. Calls suppress the GC transition
/// (each kernel is a few microseconds at most and never calls back), with the operands pinned for the call.
/// </remarks>
internal static unsafe class NativeBn254Fq
{
    /// <summary>Whether the kernels are in use. Tests switch it off to run the managed path.</summary>
    internal static bool Enabled;

    /// <summary>Why the kernels are not in use (null when they are).</summary>
    internal static string? DisabledReason { get; private set; }

    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, ulong*, ulong*, void> Fp2MulFn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, void> Fp2SqrFn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, void> Fp12MulFn;
    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, void> Fp12SqrFn;

    /// <summary>True when the kernels loaded and passed the self-check (whatever <see cref="Enabled"/> says now).</summary>
    /// <remarks>A field initializer, not a static constructor, so readers of <see cref="Enabled"/> need no class-init check.</remarks>
    internal static readonly bool Available = Initialize();

    internal static bool EnsureInitialized() => Available;

    private static bool Initialize()
    {
        DisabledReason = NativeFieldLibrary.DisabledReason;
        if (DisabledReason is not null) return false;
        var exports = new NativeFieldLibrary.Exports();
        Fp2MulFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, ulong*, ulong*, void>)exports["ol_bn254_fp2_mul"];
        Fp2SqrFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, void>)exports["ol_bn254_fp2_sqr"];
        Fp12MulFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, void>)exports["ol_bn254_fp12_mul"];
        Fp12SqrFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, void>)exports["ol_bn254_fp12_sqr"];
        if (exports.Missing is not null)
        {
            DisabledReason = $"{NativeFieldLibrary.FileName} lacks {exports.Missing} (a stale build?)";
            return false;
        }
        if (Unsafe.SizeOf<Fp12<Fq>>() != 12 * 48)
        {
            DisabledReason = "the Fp12 struct is not 12 consecutive 48-byte coefficients";
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

    // An Fp12 product and square against the managed tower (Enabled is still false here, so it runs managed).
    private static bool SelfCheck()
    {
        var f = new Fp12<Fq>(
            new Fp6<Fq>(new Fp2<Fq>(Fq.FromBig(3), Fq.FromBig(5)), new Fp2<Fq>(Fq.FromBig(7), Fq.FromBig(11)), new Fp2<Fq>(Fq.FromBig(13), Fq.FromBig(17))),
            new Fp6<Fq>(new Fp2<Fq>(Fq.FromBig(19), Fq.FromBig(23)), new Fp2<Fq>(Fq.FromBig(29), Fq.FromBig(31)), new Fp2<Fq>(Fq.FromBig(37), Fq.FromBig(41))));
        var g = Fp12<Fq>.Square(Fp12<Fq>.Square(f)); // full-size coefficients
        var managedProduct = Fp12<Fq>.Mul(f, g);
        var managedSquare = Fp12<Fq>.Square(g);
        Fp12<Fq> product = default, square = default;
        Fp12Mul(ref Unsafe.AsRef(in product.C0.C0.A.L), f.C0.C0.A.L, g.C0.C0.A.L);
        Fp12Square(ref Unsafe.AsRef(in square.C0.C0.A.L), g.C0.C0.A.L);
        return Fp12<Fq>.Equal(product, managedProduct) && Fp12<Fq>.Equal(square, managedSquare);
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

    /// <summary>r = a * b for Fp12 elements given by the first limb block of each (12 consecutive coefficients).</summary>
    public static void Fp12Mul(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        fixed (ulong* pr = &r[0], pa = &Unsafe.AsRef(in a)[0], pb = &Unsafe.AsRef(in b)[0]) Fp12MulFn(pr, pa, pb);
    }

    public static void Fp12Square(ref Limbs6 r, in Limbs6 a)
    {
        fixed (ulong* pr = &r[0], pa = &Unsafe.AsRef(in a)[0]) Fp12SqrFn(pr, pa);
    }
}
