using OpenLedger.Crypto.Bls12381;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>>;

namespace OpenLedger.Evm.Precompiles;

/// <summary>
/// 0x0f BLS12_PAIRING_CHECK (EIP-2537): k &gt; 0 pairs of a G1 point (128 bytes) and a G2 point (256 bytes), each on its
/// curve and in its subgroup; out: 32 bytes, 1 if the product of the pairings is one, else 0. Gas 32600 k + 37700.
/// </summary>
public sealed class Bls12381PairingPrecompile : IPrecompile
{
    public const int PairLength = Eip2537Encoding.G1Length + Eip2537Encoding.G2Length;

    public int AddressIndex => 0x0f;

    public long GasCost(ReadOnlySpan<byte> input) => 32600L * (input.Length / PairLength) + 37700;

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        if (input.Length == 0 || input.Length % PairLength != 0) return false;
        int k = input.Length / PairLength;
        var pairs = new (AffinePoint<Fq> P, AffinePoint<Fq2> Q)[k];
        for (int i = 0; i < k; i++)
        {
            ReadOnlySpan<byte> pair = input.Slice(i * PairLength, PairLength);
            if (!Eip2537Encoding.TryReadG1(pair[..128], out var p) || !Bls12381Curve.InG1Subgroup(p)) return false;
            if (!Eip2537Encoding.TryReadG2(pair[128..], out var q) || !G2Ops.InSubgroup(q)) return false;
            pairs[i] = (p, q);
        }
        output = new byte[32];
        output[31] = Bls12381Curve.PairingCheck(pairs) ? (byte)1 : (byte)0;
        return true;
    }
}
