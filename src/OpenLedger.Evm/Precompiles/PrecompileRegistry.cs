namespace OpenLedger.Evm.Precompiles;

/// <summary>
/// Which precompiles are active from which fork, by address. The EVM builds its lookup table from
/// <see cref="For"/>; the sets are built once per fork spec.
/// </summary>
public static class PrecompileRegistry
{
    /// <summary>Cancun's precompiles 0x01-0x0a.</summary>
    public static IReadOnlyList<IPrecompile> Cancun() =>
    [
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

    /// <summary>
    /// The set active under <paramref name="spec"/>. Prague adds the EIP-2537 BLS12-381 precompiles at 0x0b-0x11 and
    /// Osaka adds P256VERIFY at 0x100 (EIP-7951) and reprices/bounds modexp (EIP-7823/7883): those come from
    /// <see cref="PragueAdditions"/> and <see cref="OsakaAdditions"/>, which hold only what is implemented.
    /// </summary>
    public static IReadOnlyList<IPrecompile> For(ForkSpec spec)
    {
        var list = spec.Fork >= Fork.Cancun ? Cancun().ToList() : Cancun().Where(p => p.AddressIndex < 0x0a).ToList();
        if (spec.Fork >= Fork.Prague) list.AddRange(PragueAdditions());
        if (spec.Fork >= Fork.Osaka) Replace(list, OsakaAdditions());
        return list;
    }

    /// <summary>EIP-2537 (0x0b G1ADD, 0x0c G1MSM, 0x0d G2ADD, 0x0e G2MSM, 0x0f PAIRING, 0x10 MAP_FP_TO_G1, 0x11 MAP_FP2_TO_G2): wired here once implemented.</summary>
    private static IEnumerable<IPrecompile> PragueAdditions() => [];

    /// <summary>EIP-7951 P256VERIFY (0x100) and the EIP-7823/7883 modexp (replacing 0x05): wired here once implemented.</summary>
    private static IEnumerable<IPrecompile> OsakaAdditions() => [];

    /// <summary>EIP-7910's names for the precompiles, by address number.</summary>
    public static string Name(int addressIndex) => addressIndex switch
    {
        0x01 => "ECREC", 0x02 => "SHA256", 0x03 => "RIPEMD160", 0x04 => "ID", 0x05 => "MODEXP",
        0x06 => "BN254_ADD", 0x07 => "BN254_MUL", 0x08 => "BN254_PAIRING", 0x09 => "BLAKE2F", 0x0a => "KZG_POINT_EVALUATION",
        0x0b => "BLS12_G1ADD", 0x0c => "BLS12_G1MSM", 0x0d => "BLS12_G2ADD", 0x0e => "BLS12_G2MSM", 0x0f => "BLS12_PAIRING_CHECK",
        0x10 => "BLS12_MAP_FP_TO_G1", 0x11 => "BLS12_MAP_FP2_TO_G2", 0x100 => "P256VERIFY",
        _ => $"0x{addressIndex:x}",
    };

    private static void Replace(List<IPrecompile> list, IEnumerable<IPrecompile> additions)
    {
        foreach (var p in additions)
        {
            list.RemoveAll(q => q.AddressIndex == p.AddressIndex);
            list.Add(p);
        }
    }
}
