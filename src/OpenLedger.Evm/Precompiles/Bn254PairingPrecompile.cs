using OpenLedger.Crypto.Bn254;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bn254.Bn254FqParams>;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bn254.Bn254FqParams>>;

namespace OpenLedger.Evm.Precompiles;

/// <summary>
/// 0x08 pairing check on alt_bn128 (EIP-197, gas per EIP-1108): input is k pairs of (G1 64 bytes, G2 128 bytes);
/// returns 32-byte 1 if the product of pairings is one (also for empty input), else 0.
/// </summary>
public sealed class Bn254PairingPrecompile : IPrecompile
{
    private const int PairSize = 192;

    public int AddressIndex => 0x08;

    public long GasCost(ReadOnlySpan<byte> input) => 45000 + 34000L * (input.Length / PairSize);

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        try
        {
            if (input.Length % PairSize != 0) return false;
            int k = input.Length / PairSize;
            var pairs = new (AffinePoint<Fq> P, AffinePoint<Fq2> Q)[k];
            for (int i = 0; i < k; i++)
            {
                ReadOnlySpan<byte> pair = input.Slice(i * PairSize, PairSize);
                if (!Bn254Curve.TryReadG1(pair[..64], out var p) || !Bn254Curve.TryReadG2(pair[64..], out var q)) return false;
                pairs[i] = (p, q);
            }
            bool one = Fp12<Fq>.Equal(Bn254Curve.FinalExponentiation(Bn254Curve.MillerLoop(pairs)), Fp12<Fq>.One);
            output = new byte[32];
            output[31] = one ? (byte)1 : (byte)0;
            return true;
        }
        catch (Exception)
        {
            output = [];
            return false;
        }
    }
}
