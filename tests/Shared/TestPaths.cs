namespace OpenLedger.Tests.Shared;

/// <summary>Where tests find the repository, the read-only consensus fixtures and the pinned Foundry binaries.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OpenLedger.sln"))) return dir.FullName;
        throw new InvalidOperationException("OpenLedger.sln not found above " + AppContext.BaseDirectory);
    });

    public static string RepoRoot => Root.Value;

    /// <summary>`../shared/fixtures/ethereum-tests` beside the checkout, or $OPENLEDGER_FIXTURES (deploy/test.sh sets it to the fetched copy).</summary>
    public static string EthereumTests => Fixtures("OPENLEDGER_FIXTURES", "ethereum-tests");

    /// <summary>`../shared/fixtures/eest-osaka` (EEST Osaka state tests) beside the checkout, or $OPENLEDGER_EEST_FIXTURES.</summary>
    public static string EestOsaka => Fixtures("OPENLEDGER_EEST_FIXTURES", "eest-osaka");

    private static string Fixtures(string variable, string folder)
    {
        var env = Environment.GetEnvironmentVariable(variable);
        var path = !string.IsNullOrEmpty(env) ? env : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "fixtures", folder));
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException(
                $"consensus fixtures '{folder}' not found at {path}: run deploy/test.sh (it fetches the pinned upstream copy) or set {variable} (README, \"Conformance fixtures\")");
        return path;
    }

    /// <summary>A pinned Foundry binary (anvil, forge, cast) installed by `npm ci`.</summary>
    public static string FoundryTool(string tool)
    {
        var path = Path.Combine(RepoRoot, "node_modules", "@foundry-rs", $"{tool}-linux-amd64", "bin", tool);
        if (!File.Exists(path)) throw new FileNotFoundException($"{tool} not installed at {path}: run npm ci");
        return path;
    }

    public static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
