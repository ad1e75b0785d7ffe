namespace OpenLedger.Attribution.Shares;

/// <summary>A contribution's share of one inference's data-contributor reward, in basis points (1/10,000).</summary>
public readonly record struct ContributionShare(ulong ContributionId, int BasisPoints);
