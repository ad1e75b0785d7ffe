using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;

namespace OpenLedger.Primitives.Crypto;

/// <summary>
/// secp256k1 on BouncyCastle's curve arithmetic. Signing follows libsecp256k1 exactly (RFC 6979 nonce over
/// key || (hash mod n), low-s with the recovery id flipped) so both backends give byte-identical signatures.
/// </summary>
internal sealed class ManagedSecp256k1 : Secp256k1Backend
{
    private static readonly X9ECParameters Params = CustomNamedCurves.GetByName("secp256k1");
    private static readonly ECCurve Curve = Params.Curve;
    private static readonly ECPoint G = Params.G;
    private static readonly BigInteger N = Params.N;
    private static readonly BigInteger HalfN = N.ShiftRight(1);
    private static readonly BigInteger P = Curve.Field.Characteristic;
    private static readonly FixedPointCombMultiplier BaseMultiplier = new();

    public override string Name => "BouncyCastle";

    public override bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey32)
    {
        CheckLength(privateKey32, 32, nameof(privateKey32));
        return InScalarRange(ToBig(privateKey32));
    }

    public override bool TryCreatePublicKey(ReadOnlySpan<byte> privateKey32, Span<byte> pub64)
    {
        CheckLength(privateKey32, 32, nameof(privateKey32));
        CheckLength(pub64, 64, nameof(pub64));
        var d = ToBig(privateKey32);
        if (!InScalarRange(d)) return false;
        WritePoint(BaseMultiplier.Multiply(G, d).Normalize(), pub64);
        return true;
    }

    public override bool TrySign(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> privateKey32, Span<byte> rs64, out int recoveryId)
    {
        CheckLength(hash32, 32, nameof(hash32));
        CheckLength(privateKey32, 32, nameof(privateKey32));
        CheckLength(rs64, 64, nameof(rs64));
        recoveryId = 0;
        var d = ToBig(privateKey32);
        if (!InScalarRange(d)) return false;
        var e = ToBig(hash32).Mod(N);

        // HMacDsaKCalculator reduces the message mod n as RFC 6979 bits2octets does, matching libsecp256k1's nonce function.
        var kCalc = new HMacDsaKCalculator(new Sha256Digest());
        kCalc.Init(N, d, hash32.ToArray());
        while (true)
        {
            var k = kCalc.NextK();
            var point = BaseMultiplier.Multiply(G, k).Normalize();
            var x = point.AffineXCoord.ToBigInteger();
            var r = x.Mod(N);
            if (r.SignValue == 0) continue;
            var s = k.ModInverse(N).Multiply(e.Add(r.Multiply(d))).Mod(N);
            if (s.SignValue == 0) continue;
            int recid = (point.AffineYCoord.TestBitZero() ? 1 : 0) | (x.CompareTo(N) >= 0 ? 2 : 0);
            if (s.CompareTo(HalfN) > 0)
            {
                // Negating s corresponds to using -k, whose R has the opposite y parity.
                s = N.Subtract(s);
                recid ^= 1;
            }
            WriteScalar(r, rs64[..32]);
            WriteScalar(s, rs64[32..64]);
            recoveryId = recid;
            return true;
        }
    }

    public override bool TryRecover(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> rs64, int recoveryId, Span<byte> pub64)
    {
        CheckLength(hash32, 32, nameof(hash32));
        CheckLength(rs64, 64, nameof(rs64));
        CheckLength(pub64, 64, nameof(pub64));
        if ((uint)recoveryId > 3) return false;
        var r = ToBig(rs64[..32]);
        var s = ToBig(rs64[32..]);
        if (!InScalarRange(r) || !InScalarRange(s)) return false;

        // R.x is r, or r + n for recovery ids 2 and 3 (only possible when r + n < p).
        var x = (recoveryId & 2) != 0 ? r.Add(N) : r;
        if (x.CompareTo(P) >= 0) return false;
        var fx = Curve.FromBigInteger(x);
        var fy = fx.Square().Multiply(fx).Add(Curve.B).Sqrt();
        if (fy is null) return false;
        if (fy.TestBitZero() != ((recoveryId & 1) != 0)) fy = fy.Negate();
        var bigR = Curve.CreatePoint(x, fy.ToBigInteger());

        // Q = r^-1 (s R - e G)
        var e = ToBig(hash32).Mod(N);
        var rInv = r.ModInverse(N);
        var u1 = rInv.Multiply(s).Mod(N);
        var u2 = N.Subtract(e).Multiply(rInv).Mod(N);
        var q = ECAlgorithms.SumOfTwoMultiplies(bigR, u1, G, u2).Normalize();
        if (q.IsInfinity) return false;
        WritePoint(q, pub64);
        return true;
    }

    public override bool Verify(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> rs64, ReadOnlySpan<byte> pub64)
    {
        CheckLength(hash32, 32, nameof(hash32));
        CheckLength(rs64, 64, nameof(rs64));
        CheckLength(pub64, 64, nameof(pub64));
        var r = ToBig(rs64[..32]);
        var s = ToBig(rs64[32..]);
        if (!InScalarRange(r) || !InScalarRange(s) || s.CompareTo(HalfN) > 0) return false;
        var px = ToBig(pub64[..32]);
        var py = ToBig(pub64[32..]);
        if (px.CompareTo(P) >= 0 || py.CompareTo(P) >= 0) return false;
        ECPoint q;
        try
        {
            q = Curve.ValidatePoint(px, py);
        }
        catch (ArgumentException)
        {
            return false; // not on the curve
        }
        var e = ToBig(hash32).Mod(N);
        var w = s.ModInverse(N);
        var point = ECAlgorithms.SumOfTwoMultiplies(G, e.Multiply(w).Mod(N), q, r.Multiply(w).Mod(N)).Normalize();
        return !point.IsInfinity && point.AffineXCoord.ToBigInteger().Mod(N).Equals(r);
    }

    private static bool InScalarRange(BigInteger v) => v.SignValue > 0 && v.CompareTo(N) < 0;

    private static BigInteger ToBig(ReadOnlySpan<byte> bytes) => new(1, bytes.ToArray());

    private static void WriteScalar(BigInteger v, Span<byte> dest32) =>
        Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, v).CopyTo(dest32);

    private static void WritePoint(ECPoint p, Span<byte> pub64)
    {
        WriteScalar(p.AffineXCoord.ToBigInteger(), pub64[..32]);
        WriteScalar(p.AffineYCoord.ToBigInteger(), pub64[32..64]);
    }
}
