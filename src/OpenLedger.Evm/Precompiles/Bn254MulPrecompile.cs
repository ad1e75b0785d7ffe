using OpenLedger.Evm.Precompiles.Bn254;

namespace OpenLedger.Evm.Precompiles;

/// <summary>0x07 ECMUL on alt_bn128 (EIP-196, gas per EIP-1108). Input is zero-padded / truncated to 96 bytes (x, y, scalar).</summary>
public sealed class Bn254MulPrecompile : IPrecompile
{
    public int AddressIndex => 0x07;

    public long GasCost(ReadOnlySpan<byte> input) => 6000;

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        try
        {
            Span<byte> buf = stackalloc byte[96];
            buf.Clear();
            input[..Math.Min(input.Length, 96)].CopyTo(buf);
            if (!Bn254Curve.TryReadG1(buf[..64], out var p)) return false;
            var product = p.ToJacobian().Multiply(buf[64..]).ToAffine();
            output = new byte[64];
            Bn254Curve.WriteG1(product, output);
            return true;
        }
        catch (Exception)
        {
            output = [];
            return false;
        }
    }
}
