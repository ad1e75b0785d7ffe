namespace OpenLedger.Evm.Precompiles;

/// <summary>
/// The precompiles active per fork, each entry carrying its address (<see cref="IPrecompile.AddressIndex"/>). A fork
/// spec takes its set from here; a fork that changes one precompile's rules picks that precompile's variant (modexp:
/// <see cref="ModExpPrecompile.Berlin"/> or <see cref="ModExpPrecompile.Osaka"/>).
/// </summary>
public static class PrecompileRegistry
{
    /// <summary>Cancun: 0x01-0x0a.</summary>
    public static IReadOnlyList<IPrecompile> Cancun() =>
    [
        new EcRecoverPrecompile(),
        new Sha256Precompile(),
        new Ripemd160Precompile(),
        new IdentityPrecompile(),
        ModExpPrecompile.Berlin,
        new Bn254AddPrecompile(),
        new Bn254MulPrecompile(),
        new Bn254PairingPrecompile(),
        new Blake2fPrecompile(),
        new PointEvaluationPrecompile(),
    ];

    /// <summary>The seven BLS12-381 precompiles of EIP-2537, 0x0b-0x11.</summary>
    public static IReadOnlyList<IPrecompile> Bls12381() =>
    [
        new Bls12381G1AddPrecompile(),
        new Bls12381G1MsmPrecompile(),
        new Bls12381G2AddPrecompile(),
        new Bls12381G2MsmPrecompile(),
        new Bls12381PairingPrecompile(),
        new Bls12381MapFpToG1Precompile(),
        new Bls12381MapFp2ToG2Precompile(),
    ];

    /// <summary>Prague: Cancun's and EIP-2537's (0x01-0x11).</summary>
    public static IReadOnlyList<IPrecompile> Prague() => [.. Cancun(), .. Bls12381()];

    /// <summary>Osaka: modexp under EIP-7823/7883, and P256VERIFY (EIP-7951) at 0x100.</summary>
    public static IReadOnlyList<IPrecompile> Osaka() =>
        [.. Prague().Select(p => p.AddressIndex == 0x05 ? ModExpPrecompile.Osaka : p), new P256VerifyPrecompile()];
}
