using OpenLedger.Crypto.Bls12381;

namespace OpenLedger.Evm.Precompiles;

/// <summary>0x0d BLS12_G2ADD (EIP-2537): two G2 points (256 bytes each) in, their sum out; points must be on the twist (no subgroup check).</summary>
public sealed class Bls12381G2AddPrecompile : IPrecompile
{
    public int AddressIndex => 0x0d;

    public long GasCost(ReadOnlySpan<byte> input) => 600;

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        if (input.Length != 2 * Eip2537Encoding.G2Length) return false;
        if (!Eip2537Encoding.TryReadG2(input[..256], out var a) || !Eip2537Encoding.TryReadG2(input[256..], out var b)) return false;
        output = Eip2537Encoding.EncodeG2(a.ToJacobian().AddAffine(b));
        return true;
    }
}
