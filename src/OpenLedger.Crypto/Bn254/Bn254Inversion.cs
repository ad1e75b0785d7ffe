using System.Numerics;
using System.Runtime.CompilerServices;
using OpenLedger.Crypto.FieldMath;
using static OpenLedger.Crypto.FieldMath.SafeGcdInversion;

namespace OpenLedger.Crypto.Bn254;

/// <summary>
/// Inversion modulo the alt_bn128 base prime by Bernstein-Yang divsteps ("Fast constant-time gcd computation and
/// modular inversion", 2019), in the variable-time form: every input of the precompiles is public. The divsteps
/// are batched 62 at a time on the low limbs only, each batch giving a 2x2 matrix (entries |u|+|v| &lt;= 2^62)
/// that is then applied to the full f, g and to the cofactors d, e. Numbers are 5 signed limbs of 62 bits.
/// </summary>
[SkipLocalsInit]
internal static class Bn254Inversion
{
    private const long M62 = (1L << 62) - 1;
    // p in 62-bit limbs.
    private const long P0 = 0x3c208c16d87cfd47, P1 = 0x1e05aa45a1c72a34, P2 = 0x5045b68181585d9, P3 = 0x19139cb84c680a6e, P4 = 0x30;
    /// <summary>-p^-1 mod 2^64.</summary>
    private const ulong N0 = 0x87d20782e4866389UL;

    /// <summary>r = a^-1 mod p for the plain integer a &lt; p (limbs 0..3); r = 0 for a = 0.</summary>
    public static void Invert(ref Limbs6 r, in Limbs6 a)
    {
        ulong a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
        long f0 = P0, f1 = P1, f2 = P2, f3 = P3, f4 = P4;
        long g0 = (long)(a0 & M62), g1 = (long)(((a0 >> 62) | (a1 << 2)) & M62), g2 = (long)(((a1 >> 60) | (a2 << 4)) & M62);
        long g3 = (long)(((a2 >> 58) | (a3 << 6)) & M62), g4 = (long)(a3 >> 56);
        // Invariants: d*a = f, e*a = g (mod p).
        long d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0;
        long e0 = 1, e1 = 0, e2 = 0, e3 = 0, e4 = 0;
        int eta = -1;
        while ((g0 | g1 | g2 | g3 | g4) != 0)
        {
            eta = DivSteps62(eta, (ulong)f0, (ulong)g0, out long u, out long v, out long q, out long w);
            ApplyExact(u, v, q, w, ref f0, ref f1, ref f2, ref f3, ref f4, ref g0, ref g1, ref g2, ref g3, ref g4);
            ApplyModP(u, v, q, w, ref d0, ref d1, ref d2, ref d3, ref d4, ref e0, ref e1, ref e2, ref e3, ref e4);
        }
        // Now f = +-gcd = +-1 (or f = +-p when a = 0, where d = 0).
        if (f4 < 0) Negate(ref d0, ref d1, ref d2, ref d3, ref d4);
        while (d4 < 0) AddP(ref d0, ref d1, ref d2, ref d3, ref d4, 1);
        while (!BelowP(d0, d1, d2, d3, d4)) AddP(ref d0, ref d1, ref d2, ref d3, ref d4, -1);
        r[0] = (ulong)d0 | ((ulong)d1 << 62);
        r[1] = ((ulong)d1 >> 2) | ((ulong)d2 << 60);
        r[2] = ((ulong)d2 >> 4) | ((ulong)d3 << 58);
        r[3] = ((ulong)d3 >> 6) | ((ulong)d4 << 56);
    }

    /// <summary>(f, g) = ((u f + v g) / 2^62, (q f + r g) / 2^62), exact divisions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyExact(long u, long v, long q, long r,
        ref long f0, ref long f1, ref long f2, ref long f3, ref long f4,
        ref long g0, ref long g1, ref long g2, ref long g3, ref long g4)
    {
        ulong um = (ulong)(u >> 63), vm = (ulong)(v >> 63), qm = (ulong)(q >> 63), rm = (ulong)(r >> 63);
        ulong fl = 0, fh = 0, gl = 0, gh = 0;
        MulAcc(ref fl, ref fh, u, um, (ulong)f0);
        MulAcc(ref fl, ref fh, v, vm, (ulong)g0);
        MulAcc(ref gl, ref gh, q, qm, (ulong)f0);
        MulAcc(ref gl, ref gh, r, rm, (ulong)g0);
        Shift62(ref fl, ref fh);
        Shift62(ref gl, ref gh);
        MulAcc(ref fl, ref fh, u, um, (ulong)f1);
        MulAcc(ref fl, ref fh, v, vm, (ulong)g1);
        MulAcc(ref gl, ref gh, q, qm, (ulong)f1);
        MulAcc(ref gl, ref gh, r, rm, (ulong)g1);
        f0 = (long)(fl & M62);
        g0 = (long)(gl & M62);
        Shift62(ref fl, ref fh);
        Shift62(ref gl, ref gh);
        MulAcc(ref fl, ref fh, u, um, (ulong)f2);
        MulAcc(ref fl, ref fh, v, vm, (ulong)g2);
        MulAcc(ref gl, ref gh, q, qm, (ulong)f2);
        MulAcc(ref gl, ref gh, r, rm, (ulong)g2);
        f1 = (long)(fl & M62);
        g1 = (long)(gl & M62);
        Shift62(ref fl, ref fh);
        Shift62(ref gl, ref gh);
        MulAcc(ref fl, ref fh, u, um, (ulong)f3);
        MulAcc(ref fl, ref fh, v, vm, (ulong)g3);
        MulAcc(ref gl, ref gh, q, qm, (ulong)f3);
        MulAcc(ref gl, ref gh, r, rm, (ulong)g3);
        f2 = (long)(fl & M62);
        g2 = (long)(gl & M62);
        Shift62(ref fl, ref fh);
        Shift62(ref gl, ref gh);
        MulAccSigned(ref fl, ref fh, u, um, f4);
        MulAccSigned(ref fl, ref fh, v, vm, g4);
        MulAccSigned(ref gl, ref gh, q, qm, f4);
        MulAccSigned(ref gl, ref gh, r, rm, g4);
        f3 = (long)(fl & M62);
        g3 = (long)(gl & M62);
        Shift62(ref fl, ref fh);
        Shift62(ref gl, ref gh);
        f4 = (long)fl;
        g4 = (long)gl;
    }

    /// <summary>
    /// (d, e) = ((u d + v e) / 2^62, (q d + r e) / 2^62) mod p: a multiple m p with |m| &lt; 2^61 is added to clear
    /// the low 62 bits. Each call grows max(|d|, |e|) by at most p/2; the final reduction absorbs that.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyModP(long u, long v, long q, long r,
        ref long d0, ref long d1, ref long d2, ref long d3, ref long d4,
        ref long e0, ref long e1, ref long e2, ref long e3, ref long e4)
    {
        long md = (long)(((ulong)(u * d0 + v * e0) * N0) << 2) >> 2;
        long me = (long)(((ulong)(q * d0 + r * e0) * N0) << 2) >> 2;
        ulong um = (ulong)(u >> 63), vm = (ulong)(v >> 63), qm = (ulong)(q >> 63), rm = (ulong)(r >> 63);
        ulong mdm = (ulong)(md >> 63), mem = (ulong)(me >> 63);
        ulong dl = 0, dh = 0, el = 0, eh = 0;
        MulAcc(ref dl, ref dh, u, um, (ulong)d0);
        MulAcc(ref dl, ref dh, v, vm, (ulong)e0);
        MulAcc(ref dl, ref dh, md, mdm, P0);
        MulAcc(ref el, ref eh, q, qm, (ulong)d0);
        MulAcc(ref el, ref eh, r, rm, (ulong)e0);
        MulAcc(ref el, ref eh, me, mem, P0);
        Shift62(ref dl, ref dh);
        Shift62(ref el, ref eh);
        MulAcc(ref dl, ref dh, u, um, (ulong)d1);
        MulAcc(ref dl, ref dh, v, vm, (ulong)e1);
        MulAcc(ref dl, ref dh, md, mdm, P1);
        MulAcc(ref el, ref eh, q, qm, (ulong)d1);
        MulAcc(ref el, ref eh, r, rm, (ulong)e1);
        MulAcc(ref el, ref eh, me, mem, P1);
        d0 = (long)(dl & M62);
        e0 = (long)(el & M62);
        Shift62(ref dl, ref dh);
        Shift62(ref el, ref eh);
        MulAcc(ref dl, ref dh, u, um, (ulong)d2);
        MulAcc(ref dl, ref dh, v, vm, (ulong)e2);
        MulAcc(ref dl, ref dh, md, mdm, P2);
        MulAcc(ref el, ref eh, q, qm, (ulong)d2);
        MulAcc(ref el, ref eh, r, rm, (ulong)e2);
        MulAcc(ref el, ref eh, me, mem, P2);
        d1 = (long)(dl & M62);
        e1 = (long)(el & M62);
        Shift62(ref dl, ref dh);
        Shift62(ref el, ref eh);
        MulAcc(ref dl, ref dh, u, um, (ulong)d3);
        MulAcc(ref dl, ref dh, v, vm, (ulong)e3);
        MulAcc(ref dl, ref dh, md, mdm, P3);
        MulAcc(ref el, ref eh, q, qm, (ulong)d3);
        MulAcc(ref el, ref eh, r, rm, (ulong)e3);
        MulAcc(ref el, ref eh, me, mem, P3);
        d2 = (long)(dl & M62);
        e2 = (long)(el & M62);
        Shift62(ref dl, ref dh);
        Shift62(ref el, ref eh);
        MulAccSigned(ref dl, ref dh, u, um, d4);
        MulAccSigned(ref dl, ref dh, v, vm, e4);
        MulAcc(ref dl, ref dh, md, mdm, P4);
        MulAccSigned(ref el, ref eh, q, qm, d4);
        MulAccSigned(ref el, ref eh, r, rm, e4);
        MulAcc(ref el, ref eh, me, mem, P4);
        d3 = (long)(dl & M62);
        e3 = (long)(el & M62);
        Shift62(ref dl, ref dh);
        Shift62(ref el, ref eh);
        d4 = (long)dl;
        e4 = (long)el;
    }

    private static void Negate(ref long d0, ref long d1, ref long d2, ref long d3, ref long d4)
    {
        long c = -d0;
        d0 = c & M62;
        c = (c >> 62) - d1;
        d1 = c & M62;
        c = (c >> 62) - d2;
        d2 = c & M62;
        c = (c >> 62) - d3;
        d3 = c & M62;
        d4 = (c >> 62) - d4;
    }

    /// <summary>d += sign * p, limbs 0..3 kept in [0, 2^62).</summary>
    private static void AddP(ref long d0, ref long d1, ref long d2, ref long d3, ref long d4, long sign)
    {
        long c = d0 + sign * P0;
        d0 = c & M62;
        c = (c >> 62) + d1 + sign * P1;
        d1 = c & M62;
        c = (c >> 62) + d2 + sign * P2;
        d2 = c & M62;
        c = (c >> 62) + d3 + sign * P3;
        d3 = c & M62;
        d4 = (c >> 62) + d4 + sign * P4;
    }

    /// <summary>d &lt; p for d &gt;= 0 with limbs 0..3 in [0, 2^62).</summary>
    private static bool BelowP(long d0, long d1, long d2, long d3, long d4)
    {
        if (d4 != P4) return d4 < P4;
        if (d3 != P3) return d3 < P3;
        if (d2 != P2) return d2 < P2;
        if (d1 != P1) return d1 < P1;
        return d0 < P0;
    }
}
