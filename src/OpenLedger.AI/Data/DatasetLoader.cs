using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenLedger.AI.Data;

/// <summary>
/// Reads a local training file in one of the layouts LLaMA-Factory accepts: alpaca (instruction / input / output),
/// sharegpt (conversations of from/value turns), or plain text (a .txt file of blank-line separated documents, or
/// JSON records with "text"). JSON arrays and JSON Lines both work. A record's "id" (unsigned integer) becomes its
/// contribution id; otherwise its position does.
/// </summary>
public static class DatasetLoader
{
    public const string PromptTemplate = "### Instruction:\n{0}\n\n### Response:\n";

    public static string FormatPrompt(string instruction, string input) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, PromptTemplate, input.Length > 0 ? instruction + "\n\n" + input : instruction);

    public static List<TrainingExample> Load(string path, string format = "auto")
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"dataset {path} does not exist", path);
        if (path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) && format is "auto" or "text")
            return PlainText(File.ReadAllText(path));
        var records = ReadRecords(path);
        if (records.Count == 0) throw new InvalidDataException($"{path}: no records");
        if (format == "auto")
            format = Detect(records[0], $"{path}: record 0");
        var list = new List<TrainingExample>();
        var ids = new HashSet<ulong>();
        for (int i = 0; i < records.Count; i++)
        {
            var r = records[i];
            string where = $"{path}: record {i}";
            ulong id = r["id"] is JsonValue iv ? (iv.TryGetValue<ulong>(out var u) ? u : throw new InvalidDataException($"{where}: 'id' must be an unsigned integer")) : (ulong)i;
            if (!ids.Add(id)) throw new InvalidDataException($"{where}: id {id} appears twice");
            list.Add(FromRecord(r, id, format, where));
        }
        return list;
    }

    private static string Detect(JsonObject r, string where) =>
        r.ContainsKey("conversations") ? "sharegpt" : r.ContainsKey("instruction") ? "alpaca" : r.ContainsKey("text") ? "text"
            : throw new InvalidDataException($"{where}: none of 'instruction' (alpaca), 'conversations' (sharegpt), 'text'");

    private static TrainingExample FromRecord(JsonObject r, ulong id, string format, string where) => format switch
    {
        "alpaca" => new TrainingExample(id, FormatPrompt(Str(r, "instruction", where), OptStr(r, "input")), Str(r, "output", where)),
        "sharegpt" => ShareGpt(r, id, where),
        "text" => new TrainingExample(id, "", Str(r, "text", where)),
        _ => throw new ArgumentException($"unknown dataset format '{format}' (alpaca, sharegpt, text, auto)"),
    };

    /// <summary>
    /// One Datanet contribution as one example under its contribution id: a JSON object in the alpaca, sharegpt or
    /// text layout, or (not starting with '{') plain UTF-8 text trained as a whole.
    /// </summary>
    public static TrainingExample FromContribution(ulong contributionId, byte[] content, string format = "auto")
    {
        string where = $"contribution {contributionId}";
        string text;
        try { text = new System.Text.UTF8Encoding(false, true).GetString(content); }
        catch (System.Text.DecoderFallbackException) { throw new InvalidDataException($"{where}: not UTF-8 text (only text contributions can be trained on)"); }
        string t = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (!t.StartsWith('{'))
        {
            if (format is not ("auto" or "text")) throw new InvalidDataException($"{where}: not a JSON object in the {format} layout");
            return t.Trim().Length > 0 ? new TrainingExample(contributionId, "", t.Trim()) : throw new InvalidDataException($"{where}: empty");
        }
        JsonObject r;
        try { r = JsonNode.Parse(t) as JsonObject ?? throw new InvalidDataException($"{where}: not a JSON object"); }
        catch (JsonException e) { throw new InvalidDataException($"{where}: starts with '{{' but is not one JSON object ({e.Message}); a contribution holds one record"); }
        return FromRecord(r, contributionId, format == "auto" ? Detect(r, where) : format, where);
    }

    public static List<TrainingExample> PlainText(string text)
    {
        var docs = text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return docs.Select((d, i) => new TrainingExample((ulong)i, "", d)).ToList();
    }

    private static List<JsonObject> ReadRecords(string path)
    {
        string text = File.ReadAllText(path).TrimStart();
        try
        {
            if (text.StartsWith('['))
                return (JsonNode.Parse(text) as JsonArray ?? []).Select((n, i) => n as JsonObject ?? throw new InvalidDataException($"{path}: element {i} is not an object")).ToList();
            var list = new List<JsonObject>();
            int line = 0;
            foreach (var l in text.Split('\n'))
            {
                line++;
                if (string.IsNullOrWhiteSpace(l)) continue;
                list.Add(JsonNode.Parse(l) as JsonObject ?? throw new InvalidDataException($"{path}: line {line} is not a JSON object"));
            }
            return list;
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not JSON or JSON Lines: {e.Message}"); }
    }

    private static TrainingExample ShareGpt(JsonObject r, ulong id, string where)
    {
        var turns = r["conversations"] as JsonArray ?? throw new InvalidDataException($"{where}: 'conversations' is not an array");
        // everything up to the last assistant turn is the prompt; the last assistant turn is trained
        int last = -1;
        for (int i = 0; i < turns.Count; i++) if (turns[i]?["from"]?.GetValue<string>() is "gpt" or "assistant") last = i;
        if (last < 0) throw new InvalidDataException($"{where}: no 'gpt' turn to train on");
        var sb = new System.Text.StringBuilder();
        string? system = r["system"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(system)) sb.Append(system).Append("\n\n");
        for (int i = 0; i < last; i++)
        {
            string from = turns[i]?["from"]?.GetValue<string>() ?? throw new InvalidDataException($"{where}: turn {i} has no 'from'");
            string value = turns[i]?["value"]?.GetValue<string>() ?? throw new InvalidDataException($"{where}: turn {i} has no 'value'");
            sb.Append(from is "human" or "user" ? "### Instruction:\n" : from is "system" ? "" : "### Response:\n").Append(value).Append("\n\n");
        }
        sb.Append("### Response:\n");
        return new TrainingExample(id, sb.ToString(), turns[last]!["value"]?.GetValue<string>() ?? throw new InvalidDataException($"{where}: turn {last} has no 'value'"));
    }

    private static string Str(JsonObject r, string key, string where) =>
        r[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new InvalidDataException($"{where}: '{key}' is missing or not a string");

    private static string OptStr(JsonObject r, string key) => r[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
