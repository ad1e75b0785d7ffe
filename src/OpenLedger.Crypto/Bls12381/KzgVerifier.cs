using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>>;

namespace OpenLedger.Crypto.Bls12381;

/// <summary>KZG opening verification over BLS12-381 with the EIP-4844 ceremony's [tau]G2.</summary>
internal static class KzgVerifier
{
    /// <summary>setup_G2[1] of the EIP-4844 KZG ceremony (trusted_setup_4096), compressed.</summary>
    public const string TauG2Hex =
        "b5bfd7dd8cdeb128843bc287230af38926187075cbfbefa81009a2ce615ac53d2914e5870cb452d2afaaab24f3499f72" +
        "185cbfee53492714734429b7b38608e23926c911cceceac9a36851477ba4c60b087041de621000edc98edada20c1def2";

    public static readonly AffinePoint<Fq2> TauG2 = DecodeTau();

    // Both G2 arguments of the check are fixed, so their Miller-loop lines are computed once (normalized where every
    // line's constant coefficient is nonzero, as it is for these two points; the plain lines otherwise).
    private static readonly (Fq2, Fq2, Fq2)[] NegG2Lines = Bls12381Curve.PrepareG2(Bls12381Curve.G2Generator.Negate());
    private static readonly (Fq2, Fq2, Fq2)[] TauG2Lines = Bls12381Curve.PrepareG2(TauG2);
    private static readonly (Fq2, Fq2)[]? NegG2Normalized = NormalizedLines.Prepare(Bls12381Curve.G2Generator.Negate());
    private static readonly (Fq2, Fq2)[]? TauG2Normalized = NormalizedLines.Prepare(TauG2);

    /// <summary>True when the normalized lines are in use (checked by the tests: both points qualify).</summary>
    internal static bool UsesNormalizedLines => NegG2Normalized is not null && TauG2Normalized is not null;

    private static AffinePoint<Fq2> DecodeTau()
    {
        if (!Bls12381Curve.TryDecompressG2(Convert.FromHexString(TauG2Hex), out var p) || p.Infinity)
            throw new InvalidOperationException("KZG setup point does not decode");
        return p;
    }

    /// <summary>
    /// True iff proof opens commitment at z to y: e(C - [y]G1, G2) == e(proof, [tau]G2 - [z]G2).
    /// Moving [z] to the G1 side keeps both G2 arguments fixed: e(C - [y]G1 + [z]proof, -G2) * e(proof, [tau]G2) == 1.
    /// z and y are canonical scalars (&lt; r), big-endian.
    /// Both points must be in the G1 subgroup (as <see cref="Bls12381Curve.TryDecompressG1"/> guarantees).
    /// </summary>
    public static bool Verify(in AffinePoint<Fq> commitment, ReadOnlySpan<byte> z, ReadOnlySpan<byte> y, in AffinePoint<Fq> proof)
    {
        var lhs = G1Ops.Add(
            G1Ops.Add(commitment.ToJacobian(), Bls12381Curve.MultiplyGenerator(y).Negate()),
            Bls12381Curve.MultiplyG1Subgroup(proof, z)) // proof passed the subgroup check when it was decoded
            .ToAffine();
        var f = UsesNormalizedLines
            ? NormalizedLines.MillerLoop([(lhs, NegG2Normalized!), (proof, TauG2Normalized!)])
            : Bls12381Curve.MillerLoopPrepared([(lhs, NegG2Lines), (proof, TauG2Lines)]);
        return Fp12<Fq>.Equal(Bls12381Curve.FinalExponentiation(f), Fp12<Fq>.One);
    }
}
