namespace OpenLedger.Primitives.Forks;

/// <summary>Ethereum's forks, oldest first (the values order them).</summary>
public enum Fork
{
    Frontier,
    Homestead,
    TangerineWhistle,
    SpuriousDragon,
    Byzantium,
    Constantinople,
    Petersburg,
    Istanbul,
    Berlin,
    London,
    Paris,
    Shanghai,
    Cancun,
    Prague,
    Osaka,
}
