using System.Numerics;
using OpenLedger.Crypto.Bn254;
using OpenLedger.Crypto.FieldMath;

namespace OpenLedger.Crypto.Tests;

/// <summary>The safegcd inversion modulo the alt_bn128 base prime against BigInteger a^(p-2).</summary>
public class Bn254InversionTests
{
    private static readonly BigInteger P = Bn254Curve.P;

    private static BigInteger Invert(BigInteger a)
    {
        Limbs6 x = default, r = default;
        for (int i = 0; i < 4; i++) x[i] = (ulong)((a >> (64 * i)) & ulong.MaxValue);
        Bn254Inversion.Invert(ref r, x);
        Assert.Equal(0UL, r[4] | r[5]);
        BigInteger v = 0;
        for (int i = 3; i >= 0; i--) v = (v << 64) | r[i];
        return v;
    }

    private static IEnumerable<BigInteger> EdgeValues()
    {
        yield return 1;
        yield return 2;
        yield return 3;
        yield return P - 1;
        yield return P - 2;
        yield return (P - 1) / 2;
        yield return (P + 1) / 2;
        for (int k = 1; k < 254; k++)
        {
            yield return BigInteger.One << k;
            yield return (BigInteger.One << k) - 1;
            yield return P - (BigInteger.One << k) % P;
        }
        for (int k = 0; k < 4; k++) yield return (BigInteger.One << (64 * k)) * ulong.MaxValue % P;
        yield return P >> 1;
        yield return P >> 62;
    }

    [Fact]
    public void Edge_values_match_fermat()
    {
        foreach (BigInteger a in EdgeValues())
        {
            BigInteger r = Invert(a);
            Assert.Equal(BigInteger.ModPow(a, P - 2, P), r);
            Assert.True(r < P);
        }
    }

    [Fact]
    public void Zero_gives_zero()
    {
        Assert.Equal(BigInteger.Zero, Invert(0));
    }

    [Fact]
    public void Random_values_match_fermat()
    {
        var rng = new Random(254);
        var bytes = new byte[33];
        for (int n = 0; n < 20000; n++)
        {
            rng.NextBytes(bytes);
            bytes[32] = 0;
            // Vary the length too: small inputs take other paths through the divsteps.
            BigInteger a = (new BigInteger(bytes) >> rng.Next(0, 256)) % P;
            if (a.IsZero) continue;
            Assert.Equal(BigInteger.ModPow(a, P - 2, P), Invert(a));
        }
    }

    [Fact]
    public void Montgomery_field_inverse_uses_it()
    {
        var rng = new Random(7);
        var bytes = new byte[33];
        for (int n = 0; n < 500; n++)
        {
            rng.NextBytes(bytes);
            bytes[32] = 0;
            BigInteger a = new BigInteger(bytes) % P;
            if (a.IsZero) continue;
            var fa = Fp<Bn254FqParams>.FromBig(a);
            Assert.Equal(BigInteger.ModPow(a, P - 2, P), Fp<Bn254FqParams>.Inverse(fa).ToBig());
        }
    }
}
