namespace OpenLedger.Tools.StateTests;

/// <summary>One post-state entry's outcome, shaped like geth's `evm statetest` output.</summary>
public sealed record StateTestResult(string Name, string Fork, int Index, bool Pass, string StateRoot, string? Error, string File);
