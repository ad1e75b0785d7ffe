namespace OpenLedger.Evm.Precompiles;

/// <summary>
/// The precompiles active per fork, each entry carrying its address (<see cref="IPrecompile.AddressIndex"/>). The EVM builds its
/// lookup table from <see cref="For"/> (once per fork spec); a fork that changes one precompile's rules picks that precompile's variant (modexp:
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

    /// <summary>The set active under <paramref name="spec"/>, by its fork.</summary>
    public static IReadOnlyList<IPrecompile> For(ForkSpec spec) => spec.Fork switch
    {
        >= Fork.Osaka => Osaka(),
        Fork.Prague => Prague(),
        Fork.Cancun => Cancun(),
        _ => Cancun().Where(p => p.AddressIndex < 0x0a).ToArray(),
    };

    /// <summary>EIP-7910's names for the precompiles, by address number.</summary>
    public static string Name(int addressIndex) => addressIndex switch
    {
        0x01 => "ECREC", 0x02 => "SHA256", 0x03 => "RIPEMD160", 0x04 => "ID", 0x05 => "MODEXP",
        0x06 => "BN254_ADD", 0x07 => "BN254_MUL", 0x08 => "BN254_PAIRING", 0x09 => "BLAKE2F", 0x0a => "KZG_POINT_EVALUATION",
        0x0b => "BLS12_G1ADD", 0x0c => "BLS12_G1MSM", 0x0d => "BLS12_G2ADD", 0x0e => "BLS12_G2MSM", 0x0f => "BLS12_PAIRING_CHECK",
        0x10 => "BLS12_MAP_FP_TO_G1", 0x11 => "BLS12_MAP_FP2_TO_G2", 0x100 => "P256VERIFY",
        _ => $"0x{addressIndex:x}",
    };
}
