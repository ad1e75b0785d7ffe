using OpenLedger.Crypto.Bls12381;

namespace OpenLedger.Evm.Precompiles;

/// <summary>0x0b BLS12_G1ADD (EIP-2537): two G1 points (128 bytes each) in, their sum out; points must be on the curve (no subgroup check).</summary>
public sealed class Bls12381G1AddPrecompile : IPrecompile
{
    public int AddressIndex => 0x0b;

    public long GasCost(ReadOnlySpan<byte> input) => 375;

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        if (input.Length != 2 * Eip2537Encoding.G1Length) return false;
        if (!Eip2537Encoding.TryReadG1(input[..128], out var a) || !Eip2537Encoding.TryReadG1(input[128..], out var b)) return false;
        output = Eip2537Encoding.EncodeG1(G1Ops.AddAffine(a.ToJacobian(), b));
        return true;
    }
}
