namespace OpenLedger.Evm.Precompiles;

/// <summary>0x04 identity: returns its input (15 + 3 per word).</summary>
public sealed class IdentityPrecompile : IPrecompile
{
    public int AddressIndex => 0x04;

    public long GasCost(ReadOnlySpan<byte> input) => 15 + 3 * (((long)input.Length + 31) / 32);

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = input.ToArray();
        return true;
    }
}
