using OpenLedger.Crypto.Bls12381;

namespace OpenLedger.Evm.Precompiles;

/// <summary>0x11 BLS12_MAP_FP2_TO_G2 (EIP-2537): one Fp2 element (128 bytes, c0 || c1, each below p) in, its G2 point (RFC 9380 SSWU) out.</summary>
public sealed class Bls12381MapFp2ToG2Precompile : IPrecompile
{
    public int AddressIndex => 0x11;

    public long GasCost(ReadOnlySpan<byte> input) => 23800;

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        if (!Eip2537Encoding.TryReadFp2(input, out var u)) return false;
        output = Eip2537Encoding.EncodeG2(MapToG2.Map(u));
        return true;
    }
}
