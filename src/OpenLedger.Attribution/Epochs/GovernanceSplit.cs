namespace OpenLedger.Attribution.Epochs;

/// <summary>How each inference fee is divided, in basis points summing to exactly 10,000 (set by governance).</summary>
public sealed record GovernanceSplit(int DataContributorsBps, int ModelOwnerBps, int StakersBps, int ProtocolBps)
{
    public void Validate()
    {
        int[] parts = [DataContributorsBps, ModelOwnerBps, StakersBps, ProtocolBps];
        if (parts.Any(p => p < 0)) throw new ArgumentException("governance split parts must not be negative");
        if (parts.Sum() != 10_000) throw new ArgumentException($"governance split sums to {parts.Sum()} bps, not 10000");
    }
}
