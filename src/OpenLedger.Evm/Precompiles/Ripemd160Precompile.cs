using Org.BouncyCastle.Crypto.Digests;

namespace OpenLedger.Evm.Precompiles;

/// <summary>0x03 RIPEMD-160, left-padded to 32 bytes (600 + 120 per word).</summary>
public sealed class Ripemd160Precompile : IPrecompile
{
    public int AddressIndex => 0x03;

    public long GasCost(ReadOnlySpan<byte> input) => 600 + 120 * (((long)input.Length + 31) / 32);

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        var digest = new RipeMD160Digest();
        digest.BlockUpdate(input);
        output = new byte[32];
        digest.DoFinal(output.AsSpan(12));
        return true;
    }
}
