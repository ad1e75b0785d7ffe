namespace OpenLedger.Evm.Precompiles;

/// <summary>
/// A precompiled contract. Gas is computed from the input alone before anything runs or is allocated,
/// so a hostile input can only cost its caller gas. Failure (bad point, wrong length, ...) is a defined
/// outcome, reported by returning false; the interpreter then consumes all gas given to the call.
/// Implementations never throw for any input.
/// </summary>
public interface IPrecompile
{
    /// <summary>The precompile's address as a number (0x01 = ecrecover ... 0x0a = KZG point evaluation).</summary>
    int AddressIndex { get; }

    /// <summary>Gas charged for this input (may saturate at long.MaxValue for absurd inputs).</summary>
    long GasCost(ReadOnlySpan<byte> input);

    /// <summary>Runs the precompile; false means the call fails and consumes all its gas.</summary>
    bool TryRun(ReadOnlySpan<byte> input, out byte[] output);
}
