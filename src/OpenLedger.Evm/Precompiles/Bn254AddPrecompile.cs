using OpenLedger.Crypto.Bn254;

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
            if (!Bn254G1.TryRead(buf[..64], out var a, out bool aInfinity) || !Bn254G1.TryRead(buf[64..], out var b, out bool bInfinity))
                return false;
            var result = new byte[64];
            // A valid non-identity input is already the canonical encoding of its point, and the identity is all zero.
            if (aInfinity) buf[64..].CopyTo(result);
            else if (bInfinity) buf[..64].CopyTo(result);
            else if (Bn254G1.AddAffine(a, b, out var sum)) Bn254G1.Write(sum, result);
            output = result;
            return true;
        }
        catch (Exception)
        {
            output = [];
            return false;
        }
    }
}
