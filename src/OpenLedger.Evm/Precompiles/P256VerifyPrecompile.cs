using OpenLedger.Crypto.Secp256r1;

namespace OpenLedger.Evm.Precompiles;

/// <summary>
/// 0x100 P256VERIFY (EIP-7951, Osaka): hash(32) r(32) s(32) qx(32) qy(32) in; 32 bytes ending in 1 when the secp256r1
/// signature verifies, else empty output. It never fails the call: bad input and bad signatures both answer empty, for
/// the same 6900 gas.
/// </summary>
public sealed class P256VerifyPrecompile : IPrecompile
{
    private static readonly byte[] Valid = CreateValid();

    public int AddressIndex => 0x100;

    public long GasCost(ReadOnlySpan<byte> input) => 6900;

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = input.Length == 160 && P256Verifier.Verify(input[..32], input[32..64], input[64..96], input[96..128], input[128..160])
            ? (byte[])Valid.Clone()
            : [];
        return true;
    }

    private static byte[] CreateValid()
    {
        var o = new byte[32];
        o[31] = 1;
        return o;
    }
}
