using OpenLedger.Evm.Precompiles.Bn254;

namespace OpenLedger.Evm.Precompiles;

/// <summary>0x06 ECADD on alt_bn128 (EIP-196, gas per EIP-1108). Input is zero-padded / truncated to 128 bytes.</summary>
public sealed class Bn254AddPrecompile : IPrecompile
{
    public int AddressIndex => 0x06;

    public long GasCost(ReadOnlySpan<byte> input) => 150;

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        try
        {
            Span<byte> buf = stackalloc byte[128];
            buf.Clear();
            input[..Math.Min(input.Length, 128)].CopyTo(buf);
            if (!Bn254Curve.TryReadG1(buf[..64], out var a) || !Bn254Curve.TryReadG1(buf[64..], out var b)) return false;
            var sum = a.ToJacobian().Add(b.ToJacobian()).ToAffine();
            output = new byte[64];
            Bn254Curve.WriteG1(sum, output);
            return true;
        }
        catch (Exception)
        {
            output = [];
            return false;
        }
    }
}
