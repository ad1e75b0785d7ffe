namespace OpenLedger.Node.Devnet;

public sealed record DevnetOptions(int L1Port, string? AnvilPath);
