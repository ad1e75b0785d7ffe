namespace OpenLedger.Evm.Precompiles;

/// <summary>The precompiles active per fork. A fork spec takes its set from here.</summary>
public static class PrecompileRegistry
{
    /// <summary>Cancun's precompiles, indexed by address number. Entries are added as they are implemented.</summary>
    public static IReadOnlyList<IPrecompile> Cancun() =>
    [
        // 0x01-0x04: EVM issue. 0x05-0x0a: precompile issue.
        new EcRecoverPrecompile(),
        new Sha256Precompile(),
        new Ripemd160Precompile(),
        new IdentityPrecompile(),
        new ModExpPrecompile(),
        new Bn254AddPrecompile(),
        new Bn254MulPrecompile(),
        new Bn254PairingPrecompile(),
        new Blake2fPrecompile(),
        new PointEvaluationPrecompile(),
    ];
}
