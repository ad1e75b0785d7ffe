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

    /// <summary>`../shared/fixtures/ethereum-tests` beside the checkout, or $OPENLEDGER_FIXTURES. Missing fixtures fail the test loudly.</summary>
    public static string EthereumTests
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("OPENLEDGER_FIXTURES");
            var path = !string.IsNullOrEmpty(env) ? env : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "fixtures", "ethereum-tests"));
            if (!Directory.Exists(path))
                throw new DirectoryNotFoundException($"ethereum-tests fixtures not found at {path} (set OPENLEDGER_FIXTURES)");
            return path;
        }
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
