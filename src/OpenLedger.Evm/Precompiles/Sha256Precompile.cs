namespace OpenLedger.Evm.Precompiles;

/// <summary>0x02 SHA-256 (60 + 12 per word).</summary>
public sealed class Sha256Precompile : IPrecompile
{
    public int AddressIndex => 0x02;

    public long GasCost(ReadOnlySpan<byte> input) => 60 + 12 * (((long)input.Length + 31) / 32);

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = System.Security.Cryptography.SHA256.HashData(input);
        return true;
    }
}
