using OpenLedger.Crypto.Bls12381;
using OpenLedger.Crypto.FieldMath;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>>;

namespace OpenLedger.Evm.Precompiles;

/// <summary>
/// 0x0e BLS12_G2MSM (EIP-2537): k &gt; 0 pairs of a G2 point (256 bytes, on the twist and in the subgroup) and a 32-byte
/// scalar (any value); out: the sum of the products. Gas by <see cref="Bls12381MsmPricing"/>.
/// </summary>
public sealed class Bls12381G2MsmPrecompile : IPrecompile
{
    public const int PairLength = Eip2537Encoding.G2Length + Eip2537Encoding.ScalarLength;

    public int AddressIndex => 0x0e;

    public long GasCost(ReadOnlySpan<byte> input) => Bls12381MsmPricing.G2(input.Length);

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        if (input.Length == 0 || input.Length % PairLength != 0) return false;
        int k = input.Length / PairLength;
        var points = new AffinePoint<Fq2>[k];
        var scalars = new byte[32 * k];
        for (int i = 0; i < k; i++)
        {
            ReadOnlySpan<byte> pair = input.Slice(i * PairLength, PairLength);
            if (!Eip2537Encoding.TryReadG2(pair[..256], out points[i]) || !G2Ops.InSubgroup(points[i])) return false;
            pair[256..].CopyTo(scalars.AsSpan(32 * i));
        }
        output = Eip2537Encoding.EncodeG2(Bls12381Msm.G2(points, scalars));
        return true;
    }
}
