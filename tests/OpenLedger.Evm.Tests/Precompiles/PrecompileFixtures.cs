namespace OpenLedger.Evm.Tests.Precompiles;

/// <summary>Locates the read-only ethereum-tests fixtures ($OPENLEDGER_FIXTURES, else ../shared/fixtures beside the checkout).</summary>
internal static class PrecompileFixtures
{
    public static string EthereumTests
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("OPENLEDGER_FIXTURES");
            if (!string.IsNullOrEmpty(env)) return env;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "OpenLedger.sln")))
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "ethereum-tests"));
            throw new DirectoryNotFoundException("ethereum-tests fixtures not found (set OPENLEDGER_FIXTURES)");
        }
    }
}
