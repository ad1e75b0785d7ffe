using System.Numerics;
using OpenLedger.Crypto.Bn254;
using OpenLedger.Crypto.FieldMath;

namespace OpenLedger.Crypto.Tests;

/// <summary>The unrolled alt_bn128 Montgomery product on its whole input range [0, 2p), against BigInteger.</summary>
public class Bn254FqArithTests
{
    private static readonly BigInteger P = Bn254Curve.P, R = BigInteger.One << 256;

    private static Limbs6 ToLimbs(BigInteger v)
    {
        Limbs6 l = default;
        for (int i = 0; i < 4; i++) l[i] = (ulong)((v >> (64 * i)) & ulong.MaxValue);
        return l;
    }

    private static BigInteger FromLimbs(in Limbs6 l)
    {
        BigInteger v = 0;
        for (int i = 5; i >= 0; i--) v = (v << 64) | l[i];
        return v;
    }

    [Fact]
    public void Mul_is_a_b_over_r_mod_p_for_inputs_below_2p()
    {
        var rng = new Random(42);
        var bytes = new byte[33];
        BigInteger rInv = BigInteger.ModPow(R, P - 2, P);
        var edges = new[] { BigInteger.Zero, BigInteger.One, P - 1, P, P + 1, 2 * P - 1, R % P, (R % P) + P };
        var values = edges.ToList();
        for (int n = 0; n < 3000; n++)
        {
            rng.NextBytes(bytes);
            bytes[32] = 0;
            values.Add(new BigInteger(bytes) % (2 * P));
        }
        for (int i = 0; i < values.Count; i++)
        {
            BigInteger a = values[i], b = values[(i * 31 + 7) % values.Count];
            Limbs6 r = default;
            Bn254FqArith.Mul(ref r, ToLimbs(a), ToLimbs(b));
            Assert.Equal(a * b % P * rInv % P, FromLimbs(r));
        }
    }
}
