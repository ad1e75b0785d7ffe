namespace OpenLedger.Node.Devnet;

/// <summary>Finds the pinned Foundry binaries that `npm ci` installed under node_modules.</summary>
public static class ToolLocator
{
    /// <summary>The repository root: the nearest ancestor of the working directory or the executable holding package.json and foundry.toml.</summary>
    public static string? FindRepoRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "foundry.toml")) && File.Exists(Path.Combine(dir.FullName, "package.json")))
                    return dir.FullName;
            }
        }
        return null;
    }

    /// <summary>Path of a Foundry tool (anvil, forge, cast): env OPENLEDGER_{TOOL}, then node_modules, then PATH.</summary>
    public static string Find(string tool)
    {
        var env = Environment.GetEnvironmentVariable($"OPENLEDGER_{tool.ToUpperInvariant()}");
        if (!string.IsNullOrEmpty(env))
            return File.Exists(env) ? env : throw new FileNotFoundException($"OPENLEDGER_{tool.ToUpperInvariant()} points at {env}, which does not exist");

        var root = FindRepoRoot();
        if (root != null)
        {
            var native = Path.Combine(root, "node_modules", "@foundry-rs", $"{tool}-linux-amd64", "bin", tool);
            if (File.Exists(native)) return native;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException($"{tool} not found: run `npm ci` in the repository root (or set OPENLEDGER_{tool.ToUpperInvariant()})");
    }
}
