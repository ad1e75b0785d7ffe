using System.Text.Json;

namespace OpenLedger.Node.Devnet;

/// <summary>
/// anvil's <c>--state</c> file in a devnet data directory. anvil rewrites it in place every second, so an anvil killed
/// mid-write (the machine crashing, not the devnet: a killed devnet's watchdog lets anvil dump and exit) can leave a
/// torn file that anvil then refuses to load. Before each start the last file that parsed is kept as a backup, and a
/// torn file is replaced by that backup (a few seconds of L1 lost, the contracts kept) instead of failing the start.
/// </summary>
public static class L1StateFile
{
    public static string PathIn(string dataDir) => Path.Combine(dataDir, "l1-state.json");

    /// <summary>Makes the state file loadable; returns a line for the operator when it had to fall back, else null.</summary>
    public static string? Prepare(string dataDir)
    {
        var state = PathIn(dataDir);
        var backup = state + ".bak";
        if (!File.Exists(state)) return null;
        if (Parses(state))
        {
            var tmp = backup + ".tmp";
            File.Copy(state, tmp, overwrite: true);
            File.Move(tmp, backup, overwrite: true);
            return null;
        }
        if (File.Exists(backup) && Parses(backup))
        {
            File.Copy(backup, state, overwrite: true);
            return $"warning: {state} was torn (anvil stopped while writing it); resuming the L1 from the backup of the previous start";
        }
        File.Move(state, state + ".torn", overwrite: true);
        return $"warning: {state} was torn and there is no usable backup; it was moved to {state}.torn and the L1 starts empty";
    }

    private static bool Parses(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
