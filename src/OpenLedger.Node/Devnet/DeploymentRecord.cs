namespace OpenLedger.Node.Devnet;

/// <summary>
/// A devnet's deployments kept in its data directory (<c>l1-deployment.json</c>, <c>l2-deployment.json</c>), so a
/// devnet restarted on that directory resumes with the contracts it deployed (and the funds they hold) instead of
/// deploying new ones. The repository's <c>deployments/&lt;chainId&gt;-*.json</c> is rewritten from the record on resume.
/// </summary>
public static class DeploymentRecord
{
    /// <summary>Entries of a deployments file that name accounts, not contracts (the batch inbox is a sink without code, the proposer a key).</summary>
    private static readonly HashSet<string> NotContracts = new(StringComparer.Ordinal) { "BatchInbox", "OutputProposer" };

    public static string PathFor(string dataDir, string layer) => Path.Combine(dataDir, $"{layer}-deployment.json");

    /// <summary>
    /// The recorded deployment when every recorded contract still has code on the chain (<paramref name="hasCode"/>);
    /// null when there is no record or the chain no longer holds it (then the caller deploys anew).
    /// </summary>
    public static async Task<ContractDeployment?> TryResumeAsync(string? dataDir, string layer, string deploymentsFile, Func<string, Task<bool>> hasCode)
    {
        if (dataDir is null) return null;
        var record = PathFor(dataDir, layer);
        if (!File.Exists(record)) return null;
        IReadOnlyDictionary<string, string> addresses;
        try
        {
            addresses = ContractDeployer.ReadAddresses(record);
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // a torn record: deploy again
        }
        if (addresses.Count == 0) return null;
        foreach (var (name, address) in addresses)
            if (!NotContracts.Contains(name) && !await hasCode(address)) return null;
        Directory.CreateDirectory(Path.GetDirectoryName(deploymentsFile)!);
        AtomicCopy(record, deploymentsFile);
        return new ContractDeployment(deploymentsFile, addresses);
    }

    /// <summary>Records a fresh deployment in the data directory.</summary>
    public static void Save(string? dataDir, string layer, ContractDeployment deployment)
    {
        if (dataDir is null) return;
        Directory.CreateDirectory(dataDir);
        AtomicCopy(deployment.FilePath, PathFor(dataDir, layer));
    }

    private static void AtomicCopy(string from, string to)
    {
        var tmp = to + ".tmp";
        File.Copy(from, tmp, overwrite: true);
        File.Move(tmp, to, overwrite: true);
    }
}
