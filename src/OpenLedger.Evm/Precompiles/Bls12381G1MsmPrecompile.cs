using OpenLedger.Crypto.Bls12381;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;

namespace OpenLedger.Evm.Precompiles;

/// <summary>
/// 0x0c BLS12_G1MSM (EIP-2537): k &gt; 0 pairs of a G1 point (128 bytes, on the curve and in the subgroup) and a 32-byte
/// scalar (any value); out: the sum of the products. Gas by <see cref="Bls12381MsmPricing"/>.
/// </summary>
public sealed class Bls12381G1MsmPrecompile : IPrecompile
{
    public const int PairLength = Eip2537Encoding.G1Length + Eip2537Encoding.ScalarLength;

    public int AddressIndex => 0x0c;

    public long GasCost(ReadOnlySpan<byte> input) => Bls12381MsmPricing.G1(input.Length);

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        if (input.Length == 0 || input.Length % PairLength != 0) return false;
        int k = input.Length / PairLength;
        var points = new AffinePoint<Fq>[k];
        var scalars = new byte[32 * k];
        for (int i = 0; i < k; i++)
        {
            ReadOnlySpan<byte> pair = input.Slice(i * PairLength, PairLength);
            if (!Eip2537Encoding.TryReadG1(pair[..128], out points[i]) || !Bls12381Curve.InG1Subgroup(points[i])) return false;
            pair[128..].CopyTo(scalars.AsSpan(32 * i));
        }
        output = Eip2537Encoding.EncodeG1(Bls12381Msm.G1(points, scalars));
        return true;
    }
}
