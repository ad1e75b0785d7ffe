namespace OpenLedger.Primitives.Transactions;

/// <summary>
/// The transaction-validity rules of one fork, as data: which EIPs are active. Names follow ethereum/tests
/// (EIP150 = Tangerine Whistle, EIP158 = Spurious Dragon, ConstantinopleFix = Petersburg).
/// </summary>
public sealed record TxForkRules(
    string Name,
    bool Eip2 = false,      // Homestead: contract creation costs 53000; s <= n/2
    bool Eip155 = false,    // Spurious Dragon: chain id in legacy V
    bool Eip2028 = false,   // Istanbul: non-zero calldata byte 16 gas (was 68)
    bool Eip2930 = false,   // Berlin: type 1 and access lists
    bool Eip1559 = false,   // London: type 2
    bool Eip3860 = false,   // Shanghai: initcode word cost and size limit
    bool Eip4844 = false,   // Cancun: type 3
    bool Eip7702 = false,   // Prague: type 4
    bool Eip7623 = false,   // Prague: calldata floor cost
    int MaxBlobsPerBlock = 0)
{
    public static readonly TxForkRules Frontier = new("Frontier");
    public static readonly TxForkRules Homestead = Frontier with { Name = "Homestead", Eip2 = true };
    public static readonly TxForkRules TangerineWhistle = Homestead with { Name = "EIP150" };
    public static readonly TxForkRules SpuriousDragon = TangerineWhistle with { Name = "EIP158", Eip155 = true };
    public static readonly TxForkRules Byzantium = SpuriousDragon with { Name = "Byzantium" };
    public static readonly TxForkRules Constantinople = Byzantium with { Name = "Constantinople" };
    public static readonly TxForkRules Petersburg = Constantinople with { Name = "ConstantinopleFix" };
    public static readonly TxForkRules Istanbul = Petersburg with { Name = "Istanbul", Eip2028 = true };
    public static readonly TxForkRules Berlin = Istanbul with { Name = "Berlin", Eip2930 = true };
    public static readonly TxForkRules London = Berlin with { Name = "London", Eip1559 = true };
    public static readonly TxForkRules Paris = London with { Name = "Paris" };
    public static readonly TxForkRules Shanghai = Paris with { Name = "Shanghai", Eip3860 = true };
    public static readonly TxForkRules Cancun = Shanghai with { Name = "Cancun", Eip4844 = true, MaxBlobsPerBlock = 6 };
    public static readonly TxForkRules Prague = Cancun with { Name = "Prague", Eip7702 = true, Eip7623 = true, MaxBlobsPerBlock = 9 };

    /// <summary>Oldest first.</summary>
    public static IReadOnlyList<TxForkRules> All { get; } =
        [Frontier, Homestead, TangerineWhistle, SpuriousDragon, Byzantium, Constantinople, Petersburg, Istanbul, Berlin, London, Paris, Shanghai, Cancun, Prague];

    /// <summary>By ethereum/tests name (also "TangerineWhistle", "SpuriousDragon", "Petersburg").</summary>
    public static TxForkRules ByName(string name) => name switch
    {
        "TangerineWhistle" => TangerineWhistle,
        "SpuriousDragon" => SpuriousDragon,
        "Petersburg" => Petersburg,
        _ => All.FirstOrDefault(f => f.Name == name) ?? throw new ArgumentException($"unknown fork {name}", nameof(name)),
    };

    public bool Supports(TxType type) => type switch
    {
        TxType.Legacy => true,
        TxType.AccessList => Eip2930,
        TxType.DynamicFee => Eip1559,
        TxType.Blob => Eip4844,
        TxType.SetCode => Eip7702,
        _ => false,
    };
}
