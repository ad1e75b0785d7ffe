using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenLedger.Attribution.Records;
using OpenLedger.Primitives;

namespace OpenLedger.Settlement.Queue;

/// <summary>
/// The server's durable settlement state, in one directory:
/// <list type="bullet">
/// <item><c>records.jsonl</c>: every charged request's attribution record (JSON, one per line; the prover's input),</item>
/// <item><c>settlement.jsonl</c>: <c>charge</c> entries (what to settle) and <c>done</c> entries (settled or rejected, with the transaction).</item>
/// </list>
/// Each append is flushed to disk before it returns (so a charge survives kill -9 once ChargeAsync returned); a torn
/// last line from a crash mid-write is ignored. On open the journal is compacted to the charges still pending
/// (temporary file + rename), and those are settled again: the sender first asks the chain whether each is already
/// charged, so a batch mined just before a crash is never paid twice.
/// </summary>
public sealed class SettlementJournal : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, PendingCharge> _pending = new(StringComparer.Ordinal);
    private readonly FileStream _journal;
    private readonly FileStream _records;

    public string Directory { get; }
    public string RecordsPath => Path.Combine(Directory, "records.jsonl");
    public string JournalPath => Path.Combine(Directory, "settlement.jsonl");

    public SettlementJournal(string directory)
    {
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
        if (File.Exists(JournalPath)) Load();
        Compact();
        TrimTornTail(RecordsPath);
        _journal = new FileStream(JournalPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        _records = new FileStream(RecordsPath, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    /// <summary>Charges not yet settled (or rejected), oldest first.</summary>
    public IReadOnlyList<PendingCharge> Pending()
    {
        lock (_gate) return _pending.Values.OrderBy(p => p.QueuedAt).ThenBy(p => p.Key, StringComparer.Ordinal).ToArray();
    }

    public int PendingCount { get { lock (_gate) return _pending.Count; } }

    public bool IsPending(string key) { lock (_gate) return _pending.ContainsKey(key); }

    /// <summary>Fees queued for <paramref name="user"/> and not yet settled (they still sit in the user's on-chain balance).</summary>
    public UInt256 PendingFees(Address user)
    {
        lock (_gate)
        {
            var sum = UInt256.Zero;
            foreach (var p in _pending.Values) if (p.Item.Authorization.User == user) sum += p.Item.Fee;
            return sum;
        }
    }

    /// <summary>Writes the record, then the charge, each flushed to disk: from here on the charge survives a crash.</summary>
    public void Append(PendingCharge charge, AttributionRecord record)
    {
        if (record.Hash() != charge.Item.RecordHash) throw new ArgumentException("the charge's record hash is not the record's hash");
        lock (_gate)
        {
            if (_pending.ContainsKey(charge.Key)) throw new InvalidOperationException($"charge {charge.Key} is already queued");
            WriteLine(_records, AttributionRecordJson.ToJson(record));
            WriteLine(_journal, charge.ToJson());
            _pending[charge.Key] = charge;
        }
    }

    /// <summary>Marks charges settled or rejected (the outcome and transaction are kept for audit).</summary>
    public void Complete(IEnumerable<(string Key, string Outcome)> results, string? transaction)
    {
        lock (_gate)
        {
            foreach (var (key, outcome) in results)
            {
                if (!_pending.Remove(key)) continue;
                WriteLine(_journal, new JsonObject { ["op"] = "done", ["key"] = key, ["outcome"] = outcome, ["tx"] = transaction });
            }
        }
    }

    private static void WriteLine(FileStream f, JsonNode node)
    {
        var bytes = Encoding.UTF8.GetBytes(node.ToJsonString() + "\n");
        f.Write(bytes);
        f.Flush(flushToDisk: true);
    }

    private void Load()
    {
        var lines = File.ReadAllLines(JournalPath);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            JsonObject o;
            try { o = JsonNode.Parse(lines[i])!.AsObject(); }
            catch (JsonException) when (i == lines.Length - 1) { break; } // torn last write
            catch (JsonException e) { throw new InvalidDataException($"{JournalPath} line {i + 1} is damaged: {e.Message}"); }
            var op = o["op"]?.GetValue<string>();
            if (op == "charge") { var c = PendingCharge.FromJson(o); _pending[c.Key] = c; }
            else if (op == "done") _pending.Remove(o["key"]?.GetValue<string>() ?? "");
            else throw new InvalidDataException($"{JournalPath} line {i + 1}: unknown op '{op}'");
        }
    }

    private void Compact()
    {
        var tmp = JournalPath + ".tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            foreach (var p in _pending.Values.OrderBy(p => p.QueuedAt))
                f.Write(Encoding.UTF8.GetBytes(p.ToJson().ToJsonString() + "\n"));
            f.Flush(flushToDisk: true);
        }
        File.Move(tmp, JournalPath, overwrite: true);
    }

    /// <summary>A crash mid-append can leave a partial last line; cut it so the next line starts clean.</summary>
    private static void TrimTornTail(string path)
    {
        if (!File.Exists(path)) return;
        using var r = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        long end = r.Length;
        if (end == 0) return;
        r.Seek(end - 1, SeekOrigin.Begin);
        if (r.ReadByte() == '\n') return;
        long pos = end - 1;
        while (pos > 0) { r.Seek(pos - 1, SeekOrigin.Begin); if (r.ReadByte() == '\n') break; pos--; }
        r.SetLength(pos);
        r.Flush(flushToDisk: true);
    }

    /// <summary>Reads a records.jsonl (skipping a torn last line), keyed by record hash.</summary>
    public static IReadOnlyDictionary<Hash256, AttributionRecord> ReadRecords(string path)
    {
        var result = new Dictionary<Hash256, AttributionRecord>();
        var lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            JsonNode node;
            try { node = JsonNode.Parse(lines[i])!; }
            catch (JsonException) when (i == lines.Length - 1) { break; }
            var r = AttributionRecordJson.FromJson(node);
            result[r.Hash()] = r;
        }
        return result;
    }

    public void Dispose()
    {
        _journal.Dispose();
        _records.Dispose();
    }
}
