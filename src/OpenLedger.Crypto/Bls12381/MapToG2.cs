using System.Numerics;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>>;

namespace OpenLedger.Crypto.Bls12381;

/// <summary>
/// map_to_curve for G2 as EIP-2537 0x11 uses it (RFC 9380 sections 6.6.2 and 6.6.3, suite BLS12381G2_XMD:SHA-256_SSWU_RO_
/// without the hashing): simplified SWU onto the 3-isogenous twist E' (A' = 240 i, B' = 1012 (1 + i), Z = -(2 + i)),
/// the 3-isogeny to E, then cofactor clearing (<see cref="G2Ops.ClearCofactor"/>).
/// </summary>
internal static class MapToG2
{
    private static readonly Fq2 A = new(Fq.Zero, Fq.FromBig(240));
    private static readonly Fq2 B = new(Fq.FromBig(1012), Fq.FromBig(1012));
    private static readonly Fq2 Z = new(Fq.Neg(Fq.FromBig(2)), Fq.Neg(Fq.One));
    private static readonly Fq2 MinusBOverA = Fq2.Neg(Fq2.Mul(B, Fq2.Inverse(A)));
    private static readonly Fq2 BOverZA = Fq2.Mul(B, Fq2.Inverse(Fq2.Mul(Z, A)));

    private const string
        K10 = "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6",
        K11 = "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a",
        K12a = "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e",
        K12b = "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d",
        K13 = "171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1",
        K20 = "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63",
        K21 = "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f",
        K30 = "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706",
        K31 = "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be",
        K32a = "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c",
        K32b = "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f",
        K33 = "124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10",
        K40 = "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb",
        K41 = "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3",
        K42 = "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99";

    private static readonly Fq2[] XNum = [E(K10, K10), E("0", K11), E(K12a, K12b), E(K13, "0")];
    private static readonly Fq2[] XDen = [E("0", K20), E("c", K21), Fq2.One];
    private static readonly Fq2[] YNum = [E(K30, K30), E("0", K31), E(K32a, K32b), E(K33, "0")];
    private static readonly Fq2[] YDen = [E(K40, K40), E("0", K41), E("12", K42), Fq2.One];

    /// <summary>The G2 point for the field element u (in the order-r subgroup; possibly the point at infinity).</summary>
    public static JacobianPoint<Fq2> Map(in Fq2 u)
    {
        var (xp, yp) = SimplifiedSwu(u);
        Fq2 xd = Horner(XDen, xp), yd = Horner(YDen, xp);
        Fq2 dd = Fq2.Mul(xd, yd);
        if (dd.IsZero) return JacobianPoint<Fq2>.Identity;
        Fq2 inv = Fq2.Inverse(dd);
        Fq2 x = Fq2.Mul(Fq2.Mul(Horner(XNum, xp), yd), inv);
        Fq2 y = Fq2.Mul(Fq2.Mul(Fq2.Mul(yp, Horner(YNum, xp)), xd), inv);
        return G2Ops.ClearCofactor(new AffinePoint<Fq2>(x, y).ToJacobian());
    }

    internal static (Fq2 X, Fq2 Y) SimplifiedSwu(in Fq2 u)
    {
        Fq2 zu2 = Fq2.Mul(Z, Fq2.Square(u));
        Fq2 den = Fq2.Add(Fq2.Square(zu2), zu2);
        Fq2 x1 = den.IsZero ? BOverZA : Fq2.Mul(MinusBOverA, Fq2.Add(Fq2.One, Fq2.Inverse(den)));
        Fq2 x, y;
        if (Fq2.TrySqrt(G(x1), out Fq2 y1))
        {
            x = x1;
            y = y1;
        }
        else
        {
            x = Fq2.Mul(zu2, x1);
            if (!Fq2.TrySqrt(G(x), out y)) throw new InvalidOperationException("SWU: neither g(x1) nor g(x2) is square");
        }
        if (Sgn0(u) != Sgn0(y)) y = Fq2.Neg(y);
        return (x, y);
    }

    private static Fq2 G(in Fq2 x) => Fq2.Add(Fq2.Mul(Fq2.Add(Fq2.Square(x), A), x), B);

    /// <summary>sgn0 for Fp2 (RFC 9380 4.1): the parity of c0, or of c1 when c0 is zero.</summary>
    internal static bool Sgn0(in Fq2 v) => v.A.IsZero ? MapToG1.Sgn0(v.B) : MapToG1.Sgn0(v.A);

    private static Fq2 Horner(Fq2[] c, in Fq2 x)
    {
        Fq2 r = c[^1];
        for (int i = c.Length - 2; i >= 0; i--) r = Fq2.Add(Fq2.Mul(r, x), c[i]);
        return r;
    }

    private static Fq2 E(string c0, string c1) => new(H(c0), H(c1));

    private static Fq H(string hex) => Fq.FromBig(BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber));
}
