using System.Numerics;
using System.Runtime.CompilerServices;

namespace OpenLedger.Crypto.FieldMath;

/// <summary>
/// Inversion modulo an odd prime by Bernstein-Yang divsteps ("Fast constant-time gcd computation and modular
/// inversion", 2019), variable-time (precompile inputs are public), for any modulus in L signed limbs of 62 bits:
/// 62 divsteps at a time on the low limbs give a 2x2 matrix applied to the full f, g and to the cofactors d, e.
/// <see cref="Bn254.Bn254Inversion"/> is the same algorithm unrolled for BN254; this one loops over limbs
/// (BLS12-381: 7 limbs), several times faster than the binary extended Euclid it replaces there.
/// </summary>
[SkipLocalsInit]
internal sealed class SafeGcdInversion
{
    private const long M62 = (1L << 62) - 1;
    private readonly long[] _p;
    private readonly ulong _n0;
    private readonly int _limbs64;

    /// <param name="modulus">the odd modulus, 64-bit limbs, least significant first.</param>
    public SafeGcdInversion(ReadOnlySpan<ulong> modulus)
    {
        _limbs64 = modulus.Length;
        int bits = 64 * modulus.Length - BitOperations.LeadingZeroCount(modulus[^1]);
        _p = To62(modulus, (bits + 2 + 61) / 62); // two bits of headroom for the signed top limb
        _n0 = LimbArith.NegInverse64(modulus[0]);
    }

    /// <summary>r = a^-1 mod p for a plain integer a &lt; p (64-bit limbs); r = 0 for a = 0.</summary>
    public void Invert(Span<ulong> r, ReadOnlySpan<ulong> a)
    {
        int n = _p.Length;
        Span<long> f = stackalloc long[n], g = stackalloc long[n], d = stackalloc long[n], e = stackalloc long[n];
        _p.CopyTo(f);
        To62(a[.._limbs64], g);
        d.Clear();
        e.Clear();
        e[0] = 1;
        int eta = -1;
        while (!IsZero(g))
        {
            eta = DivSteps62(eta, (ulong)f[0], (ulong)g[0], out long u, out long v, out long q, out long w);
            ApplyExact(u, v, q, w, f, g);
            ApplyModP(u, v, q, w, d, e);
        }
        if (f[n - 1] < 0) Negate(d);
        while (d[n - 1] < 0) AddP(d, 1);
        while (!BelowP(d)) AddP(d, -1);
        From62(d, r[.._limbs64]);
    }

    private static bool IsZero(ReadOnlySpan<long> x)
    {
        long acc = 0;
        foreach (long v in x) acc |= v;
        return acc == 0;
    }

    /// <summary>(f, g) = ((u f + v g) / 2^62, (q f + r g) / 2^62), exact divisions; the top limb is signed.</summary>
    private static void ApplyExact(long u, long v, long q, long r, Span<long> f, Span<long> g)
    {
        int n = f.Length;
        ulong um = (ulong)(u >> 63), vm = (ulong)(v >> 63), qm = (ulong)(q >> 63), rm = (ulong)(r >> 63);
        ulong fl = 0, fh = 0, gl = 0, gh = 0;
        MulAcc(ref fl, ref fh, u, um, (ulong)f[0]);
        MulAcc(ref fl, ref fh, v, vm, (ulong)g[0]);
        MulAcc(ref gl, ref gh, q, qm, (ulong)f[0]);
        MulAcc(ref gl, ref gh, r, rm, (ulong)g[0]);
        Shift62(ref fl, ref fh);
        Shift62(ref gl, ref gh);
        for (int i = 1; i < n; i++)
        {
            if (i < n - 1)
            {
                MulAcc(ref fl, ref fh, u, um, (ulong)f[i]);
                MulAcc(ref fl, ref fh, v, vm, (ulong)g[i]);
                MulAcc(ref gl, ref gh, q, qm, (ulong)f[i]);
                MulAcc(ref gl, ref gh, r, rm, (ulong)g[i]);
            }
            else
            {
                MulAccSigned(ref fl, ref fh, u, um, f[i]);
                MulAccSigned(ref fl, ref fh, v, vm, g[i]);
                MulAccSigned(ref gl, ref gh, q, qm, f[i]);
                MulAccSigned(ref gl, ref gh, r, rm, g[i]);
            }
            f[i - 1] = (long)(fl & M62);
            g[i - 1] = (long)(gl & M62);
            Shift62(ref fl, ref fh);
            Shift62(ref gl, ref gh);
        }
        f[n - 1] = (long)fl;
        g[n - 1] = (long)gl;
    }

    /// <summary>(d, e) = ((u d + v e) / 2^62, (q d + r e) / 2^62) mod p, adding m p (|m| &lt; 2^61) to clear the low 62 bits.</summary>
    private void ApplyModP(long u, long v, long q, long r, Span<long> d, Span<long> e)
    {
        int n = d.Length;
        long[] p = _p;
        long md = (long)(((ulong)(u * d[0] + v * e[0]) * _n0) << 2) >> 2;
        long me = (long)(((ulong)(q * d[0] + r * e[0]) * _n0) << 2) >> 2;
        ulong um = (ulong)(u >> 63), vm = (ulong)(v >> 63), qm = (ulong)(q >> 63), rm = (ulong)(r >> 63);
        ulong mdm = (ulong)(md >> 63), mem = (ulong)(me >> 63);
        ulong dl = 0, dh = 0, el = 0, eh = 0;
        MulAcc(ref dl, ref dh, u, um, (ulong)d[0]);
        MulAcc(ref dl, ref dh, v, vm, (ulong)e[0]);
        MulAcc(ref dl, ref dh, md, mdm, (ulong)p[0]);
        MulAcc(ref el, ref eh, q, qm, (ulong)d[0]);
        MulAcc(ref el, ref eh, r, rm, (ulong)e[0]);
        MulAcc(ref el, ref eh, me, mem, (ulong)p[0]);
        Shift62(ref dl, ref dh);
        Shift62(ref el, ref eh);
        for (int i = 1; i < n; i++)
        {
            if (i < n - 1)
            {
                MulAcc(ref dl, ref dh, u, um, (ulong)d[i]);
                MulAcc(ref dl, ref dh, v, vm, (ulong)e[i]);
                MulAcc(ref el, ref eh, q, qm, (ulong)d[i]);
                MulAcc(ref el, ref eh, r, rm, (ulong)e[i]);
            }
            else
            {
                MulAccSigned(ref dl, ref dh, u, um, d[i]);
                MulAccSigned(ref dl, ref dh, v, vm, e[i]);
                MulAccSigned(ref el, ref eh, q, qm, d[i]);
                MulAccSigned(ref el, ref eh, r, rm, e[i]);
            }
            MulAcc(ref dl, ref dh, md, mdm, (ulong)p[i]);
            MulAcc(ref el, ref eh, me, mem, (ulong)p[i]);
            d[i - 1] = (long)(dl & M62);
            e[i - 1] = (long)(el & M62);
            Shift62(ref dl, ref dh);
            Shift62(ref el, ref eh);
        }
        d[n - 1] = (long)dl;
        e[n - 1] = (long)el;
    }

    private static void Negate(Span<long> d)
    {
        int n = d.Length;
        long c = 0;
        for (int i = 0; i < n - 1; i++)
        {
            c = (c >> 62) - d[i];
            d[i] = c & M62;
        }
        d[n - 1] = (c >> 62) - d[n - 1];
    }

    /// <summary>d += sign * p, limbs below the top kept in [0, 2^62).</summary>
    private void AddP(Span<long> d, long sign)
    {
        int n = d.Length;
        long c = 0;
        for (int i = 0; i < n - 1; i++)
        {
            c = (c >> 62) + d[i] + sign * _p[i];
            d[i] = c & M62;
        }
        d[n - 1] = (c >> 62) + d[n - 1] + sign * _p[n - 1];
    }

    private bool BelowP(ReadOnlySpan<long> d)
    {
        for (int i = d.Length - 1; i >= 0; i--)
            if (d[i] != _p[i]) return d[i] < _p[i];
        return false;
    }

    private static long[] To62(ReadOnlySpan<ulong> x, int limbs)
    {
        var r = new long[limbs];
        To62(x, r);
        return r;
    }

    private static void To62(ReadOnlySpan<ulong> x, Span<long> r)
    {
        for (int i = 0; i < r.Length; i++)
        {
            int bit = 62 * i, w = bit / 64, o = bit % 64;
            ulong lo = w < x.Length ? x[w] >> o : 0;
            ulong hi = o > 2 && w + 1 < x.Length ? x[w + 1] << (64 - o) : 0;
            r[i] = (long)((lo | hi) & M62);
        }
    }

    private static void From62(ReadOnlySpan<long> d, Span<ulong> r)
    {
        r.Clear();
        for (int i = 0; i < d.Length; i++)
        {
            int bit = 62 * i, w = bit / 64, o = bit % 64;
            ulong v = (ulong)d[i];
            if (w < r.Length) r[w] |= v << o;
            if (o > 2 && w + 1 < r.Length) r[w + 1] |= v >> (64 - o);
        }
    }

    /// <summary>
    /// 62 divsteps from (eta, f, g) on the low 62 bits of f (odd) and g, returning the new eta and the matrix
    /// [u v; q r] with u f + v g = 2^62 f', q f + r g = 2^62 g'. Runs of zero bits of g are removed at once, and
    /// after a swap g is made divisible by up to 6 (else 4) bits in one step, g += w f with w = -g/f mod 2^k.
    /// </summary>
    internal static int DivSteps62(int eta, ulong f, ulong g, out long u, out long v, out long q, out long r)
    {
        ulong uu = 1, vv = 0, qq = 0, rr = 1;
        int i = 62;
        while (true)
        {
            int zeros = BitOperations.TrailingZeroCount(g | (ulong.MaxValue << i));
            g >>= zeros;
            uu <<= zeros;
            vv <<= zeros;
            eta -= zeros;
            i -= zeros;
            if (i == 0) break;
            // g is odd here.
            ulong w;
            if (eta < 0)
            {
                eta = -eta;
                ulong t = f;
                f = g;
                g = 0 - t;
                t = uu;
                uu = qq;
                qq = 0 - t;
                t = vv;
                vv = rr;
                rr = 0 - t;
                int limit = Math.Min(Math.Min(eta + 1, i), 6);
                ulong m = (ulong.MaxValue >> (64 - limit)) & 63;
                w = (f * g * (f * f - 2)) & m; // f*(2 - f^2) is f^-1 mod 64 for odd f
            }
            else
            {
                int limit = Math.Min(Math.Min(eta + 1, i), 4);
                ulong m = (ulong.MaxValue >> (64 - limit)) & 15;
                w = f + (((f + 1) & 4) << 1); // f^-1 mod 16
                w = (0 - w * g) & m;
            }
            g += f * w;
            qq += uu * w;
            rr += vv * w;
        }
        u = (long)uu;
        v = (long)vv;
        q = (long)qq;
        r = (long)rr;
        return eta;
    }

    /// <summary>(hi:lo) += a b as signed 128-bit, for signed a (aMask = a &gt;&gt; 63) and 0 &lt;= b &lt; 2^63.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MulAcc(ref ulong lo, ref ulong hi, long a, ulong aMask, ulong b)
    {
        ulong l = (ulong)a * b;
        ulong h = LimbArith.MulHigh((ulong)a, b) - (aMask & b);
        lo += l;
        hi += h + (lo < l ? 1UL : 0UL);
    }

    /// <summary>As <see cref="MulAcc"/> for a signed b too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MulAccSigned(ref ulong lo, ref ulong hi, long a, ulong aMask, long b)
    {
        ulong l = (ulong)a * (ulong)b;
        ulong h = LimbArith.MulHigh((ulong)a, (ulong)b) - (aMask & (ulong)b) - ((ulong)(b >> 63) & (ulong)a);
        lo += l;
        hi += h + (lo < l ? 1UL : 0UL);
    }

    /// <summary>(hi:lo) &gt;&gt;= 62, arithmetic.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Shift62(ref ulong lo, ref ulong hi)
    {
        lo = (lo >> 62) | (hi << 2);
        hi = (ulong)((long)hi >> 62);
    }

}
