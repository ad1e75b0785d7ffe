using OpenLedger.Crypto.Bn254;

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
            if (!Bn254G1.TryRead(buf[..64], out var p, out bool infinity)) return false;
            var result = new byte[64];
            // Any 256-bit scalar is allowed; the identity times anything, and anything times a multiple of r, is all zero.
            if (!infinity && Bn254Glv.Multiply(p, buf[64..], out var product)) Bn254G1.Write(product, result);
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
