using System.Text;
using Dapper;
using OpenLedger.Datanets.Indexing;
using OpenLedger.Datanets.Storage;

namespace OpenLedger.Datanets.Tests;

/// <summary>Every row of the indexer's tables as text, in key order, for comparing two indexes of one chain.</summary>
public static class TableDump
{
    private static readonly Dictionary<string, string> Order = new()
    {
        ["datanets"] = "id", ["curators"] = "datanet_id, curator", ["contributions"] = "id", ["reviews"] = "block_number, log_index",
        ["versions"] = "datanet_id, version", ["models"] = "id", ["model_versions"] = "model_id, version", ["epochs"] = "epoch",
        ["claims"] = "epoch, account", ["chain_events"] = "block_number, log_index",
    };

    public static async Task<string> DumpAsync(Database db)
    {
        var sb = new StringBuilder();
        await using var c = await db.OpenAsync();
        foreach (var table in Projector.Tables.Append("chain_events"))
        {
            sb.Append("## ").AppendLine(table);
            foreach (IDictionary<string, object?> row in await c.QueryAsync($"SELECT * FROM {table} ORDER BY {Order[table]}"))
                sb.AppendLine(string.Join(" | ", row.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")));
        }
        return sb.ToString();
    }
}
