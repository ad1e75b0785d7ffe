using OpenLedger.Crypto.Bls12381;

namespace OpenLedger.Evm.Precompiles;

/// <summary>0x10 BLS12_MAP_FP_TO_G1 (EIP-2537): one Fp element (64 bytes, below p) in, its G1 point (RFC 9380 SSWU) out.</summary>
public sealed class Bls12381MapFpToG1Precompile : IPrecompile
{
    public int AddressIndex => 0x10;

    public long GasCost(ReadOnlySpan<byte> input) => 5500;

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        if (!Eip2537Encoding.TryReadFp(input, out var u)) return false;
        output = Eip2537Encoding.EncodeG1(MapToG1.Map(u));
        return true;
    }
}
