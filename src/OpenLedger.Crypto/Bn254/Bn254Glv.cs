using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using OpenLedger.Crypto.FieldMath;
using F = OpenLedger.Crypto.Bn254.Bn254FqArith;

namespace OpenLedger.Crypto.Bn254;

/// <summary>
/// G1 scalar multiplication by the GLV method. The endomorphism phi(x, y) = (beta x, y), beta a cube root of unity
/// in Fp, acts on G1 as [lambda], lambda a cube root of unity mod r. A scalar k splits as k = k1 + k2 lambda
/// (mod r) with |k1|, |k2| &lt; 2^128 using the short lattice basis for the BN parameter x:
/// (a1, b1) = (2x+1, -(6x^2+2x)), (a2, b2) = (6x^2+4x+1, 2x+1), each with a + b lambda = 0 mod r.
/// Then [k1]P + [k2]phi(P) by interleaved width-5 NAFs: half the doublings of a plain ladder.
/// </summary>
[SkipLocalsInit]
internal static class Bn254Glv
{
    /// <summary>
    /// beta = 2203960485148121921418603742825762020974279258880205651966 in Montgomery form: the cube root of unity
    /// for which phi = [lambda], lambda = 4407920970296243842393367215006156084916469457145843978461 (the tests check both).
    /// </summary>
    internal static readonly Limbs6 BetaMont = Bn254G1.Make(0x71930c11d782e155UL, 0xa6bb947cffbe3323UL, 0xaa303344d4741444UL, 0x2c3b3f0d26594943UL);

    // The group order r.
    private const ulong R0 = 0x43e1f593f0000001UL, R1 = 0x2833e84879b97091UL, R2 = 0xb85045b68181585dUL, R3 = 0x30644e72e131a029UL;

    // Lattice basis: A1 = B2 = 2x+1, A2 = 6x^2+4x+1, |B1| = 6x^2+2x.
    private const ulong A1 = 0x89d3256894d213e3UL;
    private static readonly UInt128 A2 = new(0x6f4d8248eeb859fdUL, 0x0be4e1541221250bUL);
    private static readonly UInt128 B1Abs = new(0x6f4d8248eeb859fcUL, 0x8211bbeb7d4f1128UL);

    // G1c = floor(2^256 b2 / r), G2c = floor(2^256 |b1| / r): c1 = floor(k G1c / 2^256) ~ b2 k / r, c2 ~ -b1 k / r.
    private const ulong G1c0 = 0xd91d232ec7e0b3d7UL, G1c1 = 0x2UL;
    private const ulong G2c0 = 0x7a7bd9d4391eb18dUL, G2c1 = 0x4ccef014a773d2cfUL, G2c2 = 0x2UL;

    private const int Window = 5; // digits odd, |d| <= 15: tables of 8 points
    private const int TableSize = 1 << (Window - 2);

    /// <summary>The 256-bit big-endian scalar reduced mod r (exact: G1 has prime order r).</summary>
    internal static void ReduceScalar(ReadOnlySpan<byte> be, out ulong k0, out ulong k1, out ulong k2, out ulong k3)
    {
        k3 = BinaryPrimitives.ReadUInt64BigEndian(be);
        k2 = BinaryPrimitives.ReadUInt64BigEndian(be[8..]);
        k1 = BinaryPrimitives.ReadUInt64BigEndian(be[16..]);
        k0 = BinaryPrimitives.ReadUInt64BigEndian(be[24..]);
        // 2^256 < 6r: at most five subtractions.
        while (!(k3 != R3 ? k3 < R3 : k2 != R2 ? k2 < R2 : k1 != R1 ? k1 < R1 : k0 < R0))
        {
            ulong borrow = 0;
            k0 = Sbb(k0, R0, ref borrow);
            k1 = Sbb(k1, R1, ref borrow);
            k2 = Sbb(k2, R2, ref borrow);
            k3 = Sbb(k3, R3, ref borrow);
        }
    }

    /// <summary>
    /// k = k1 + k2 lambda mod r for k &lt; r. The rounding of c1, c2 errs low by less than 1.25 each, so
    /// k1 = e1 a1 + e2 a2 is in [0, 2^128) and k2 = -e1 |b1| + e2 b2 in (-2^128, 2^64): all arithmetic can be
    /// done mod 2^128.
    /// </summary>
    internal static void Decompose(ulong k0, ulong k1, ulong k2, ulong k3, out UInt128 first, out UInt128 second, out bool secondNegative)
    {
        MulShift256(k0, k1, k2, k3, G1c0, G1c1, 0, out ulong c1, out _);
        MulShift256(k0, k1, k2, k3, G2c0, G2c1, G2c2, out ulong c2lo, out ulong c2hi);
        UInt128 c2 = new(c2hi, c2lo);
        UInt128 k = new(k1, k0);
        first = k - (UInt128)c1 * A1 - c2 * A2;
        UInt128 s = (UInt128)c1 * B1Abs - c2 * A1;
        secondNegative = s > (UInt128.One << 65);
        second = secondNegative ? UInt128.Zero - s : s;
    }

    /// <summary>floor(k g / 2^256) for a 4-limb k and 3-limb g, when it is below 2^128.</summary>
    private static void MulShift256(ulong k0, ulong k1, ulong k2, ulong k3, ulong g0, ulong g1, ulong g2, out ulong lo, out ulong hi)
    {
        Span<ulong> k = [k0, k1, k2, k3];
        Span<ulong> g = [g0, g1, g2];
        Span<ulong> t = stackalloc ulong[7];
        t.Clear();
        for (int i = 0; i < 3; i++)
        {
            ulong carry = 0;
            for (int j = 0; j < 4; j++)
            {
                UInt128 prod = (UInt128)k[j] * g[i] + t[i + j] + carry;
                t[i + j] = (ulong)prod;
                carry = (ulong)(prod >> 64);
            }
            t[i + 4] = carry;
        }
        lo = t[4];
        hi = t[5];
    }

    /// <summary>Width-5 NAF digits of k, least significant first; returns the count (at most 129).</summary>
    internal static int Naf(UInt128 k, Span<sbyte> digits)
    {
        int len = 0;
        bool bit128 = false; // k + |d| can carry out of 128 bits (only for k near 2^128, never from Decompose)
        while (k != UInt128.Zero || bit128)
        {
            int d = 0;
            if (((ulong)k & 1) != 0)
            {
                d = (int)((ulong)k & ((1 << Window) - 1));
                if (d >= 1 << (Window - 1)) d -= 1 << Window;
                if (d > 0) k -= (uint)d;
                else
                {
                    UInt128 sum = k + (uint)(-d);
                    bit128 |= sum < k;
                    k = sum;
                }
            }
            digits[len++] = (sbyte)d;
            k >>= 1;
            if (bit128)
            {
                k |= UInt128.One << 127;
                bit128 = false;
            }
        }
        return len;
    }

    /// <summary>[scalar]p for an affine point p (not the identity) and a 32-byte big-endian scalar; false if the result is the identity.</summary>
    public static bool Multiply(in G1Affine p, ReadOnlySpan<byte> scalarBe, out G1Affine result)
    {
        result = default;
        ReduceScalar(scalarBe, out ulong k0, out ulong k1, out ulong k2, out ulong k3);
        if ((k0 | k1 | k2 | k3) == 0) return false;
        Decompose(k0, k1, k2, k3, out UInt128 first, out UInt128 second, out bool secondNegative);

        Span<sbyte> naf1 = stackalloc sbyte[132];
        Span<sbyte> naf2 = stackalloc sbyte[132];
        int len1 = Naf(first, naf1), len2 = Naf(second, naf2);

        // Odd multiples (2i+1)p, made affine together; phi of each is (beta x, y) and the negatives are (x, -y).
        Span<G1Jacobian> jac = stackalloc G1Jacobian[TableSize];
        Span<G1Affine> t1 = stackalloc G1Affine[TableSize];
        Span<G1Affine> t1Neg = stackalloc G1Affine[TableSize];
        Span<G1Affine> t2 = stackalloc G1Affine[TableSize];
        Span<G1Affine> t2Neg = stackalloc G1Affine[TableSize];
        Span<Limbs6> scratch = stackalloc Limbs6[TableSize];
        G1Jacobian twice = default;
        twice.X = p.X;
        twice.Y = p.Y;
        twice.Z = Bn254G1.One;
        jac[0] = twice;
        Bn254G1.Double(ref twice);
        for (int i = 1; i < TableSize; i++)
        {
            jac[i] = jac[i - 1];
            Bn254G1.Add(ref jac[i], twice);
        }
        Bn254G1.ToAffineBatch(jac, t1, scratch);
        for (int i = 0; i < TableSize; i++)
        {
            t1Neg[i].X = t1[i].X;
            Bn254G1.Negate(ref t1Neg[i].Y, t1[i].Y);
            F.Mul(ref t2[i].X, t1[i].X, BetaMont);
            t2[i].Y = t1[i].Y;
            t2Neg[i].X = t2[i].X;
            t2Neg[i].Y = t1Neg[i].Y;
        }
        if (secondNegative)
        {
            Span<G1Affine> swap = t2;
            t2 = t2Neg;
            t2Neg = swap;
        }

        G1Jacobian acc = default; // Z = 0: the identity
        for (int i = Math.Max(len1, len2) - 1; i >= 0; i--)
        {
            Bn254G1.Double(ref acc);
            if (i < len1) AddDigit(ref acc, naf1[i], t1, t1Neg);
            if (i < len2) AddDigit(ref acc, naf2[i], t2, t2Neg);
        }
        return Bn254G1.ToAffine(acc, out result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddDigit(ref G1Jacobian acc, int d, ReadOnlySpan<G1Affine> pos, ReadOnlySpan<G1Affine> neg)
    {
        if (d > 0) Bn254G1.AddMixed(ref acc, pos[d >> 1]);
        else if (d < 0) Bn254G1.AddMixed(ref acc, neg[-d >> 1]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Sbb(ulong a, ulong b, ref ulong borrow)
    {
        ulong d = a - b;
        ulong b1 = a < b ? 1UL : 0UL;
        ulong t = d - borrow;
        borrow = b1 + (d < borrow ? 1UL : 0UL);
        return t;
    }
}
