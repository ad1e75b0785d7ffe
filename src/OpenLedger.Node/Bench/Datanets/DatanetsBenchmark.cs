using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLedger.Datanets;
using OpenLedger.Datanets.Content;
using OpenLedger.Datanets.Indexing;
using OpenLedger.Datanets.Storage;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Bench.Datanets;

/// <summary>
/// `openledger bench datanets`: (1) content-store ingest (keccak while streaming, UTF-8 check, fsync, rename) against a
/// plain write + fsync of the same bytes, alternating file by file; (2) the indexer catching up on a synthetic chain of
/// Contributed events (decode, store, apply, checkpoint); (3) REST API latency under a loopback load on that index.
/// </summary>
public static class DatanetsBenchmark
{
    public sealed record Settings(int Files, int FileMiB, int Events, int PerBlock, string? Db, int Concurrency, TimeSpan ApiDuration);

    public static async Task RunAsync(Settings s, TextWriter o, CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), "openledger-bench-datanets-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            await UploadAsync(s, dir, o, ct);
            var db = Database.FromOption(s.Db, dir);
            if (db.Dialect == SqlDialect.Postgres) await o.WriteLineAsync("note: the PostgreSQL database must be empty (the benchmark indexes from block 0 into it)");
            await IndexerAsync(s, db, o, ct);
            await ApiAsync(s, dir, o, ct);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task UploadAsync(Settings s, string dir, TextWriter o, CancellationToken ct)
    {
        var store = new ContentStore(Path.Combine(dir, "content"));
        var plainDir = Path.Combine(dir, "plain");
        Directory.CreateDirectory(plainDir);
        var rng = new Random(1);
        var size = s.FileMiB << 20;
        TimeSpan storeTime = TimeSpan.Zero, plainTime = TimeSpan.Zero;
        for (int i = 0; i < s.Files; i++)
        {
            var body = new byte[size];
            for (int j = 0; j < body.Length; j++) body[j] = (byte)(j % 64 == 63 ? '\n' : 'a' + rng.Next(26));
            var hash = Keccak256.Compute(body);

            var sw = Stopwatch.StartNew();
            await using (var f = new FileStream(Path.Combine(plainDir, i.ToString(CultureInfo.InvariantCulture)), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                for (int off = 0; off < body.Length; off += 128 * 1024)
                    await f.WriteAsync(body.AsMemory(off, Math.Min(128 * 1024, body.Length - off)), ct);
                f.Flush(flushToDisk: true);
            }
            plainTime += sw.Elapsed;

            sw.Restart();
            var (temp, _) = await store.ReceiveAsync(new MemoryStream(body, writable: false), body.Length, hash, ContentKind.Text, ct);
            store.Commit(temp, hash);
            storeTime += sw.Elapsed;
        }
        double mb = (double)s.Files * size / 1e6;
        double storeRate = mb / storeTime.TotalSeconds, plainRate = mb / plainTime.TotalSeconds;
        await o.WriteLineAsync($"upload: {s.Files} x {s.FileMiB} MiB text: content store {storeRate:F1} MB/s, plain write+fsync {plainRate:F1} MB/s, ratio {storeRate / plainRate:F2}");
    }

    private static async Task IndexerAsync(Settings s, Database db, TextWriter o, CancellationToken ct)
    {
        await Migrations.ApplyAsync(db, ct);
        const string registry = "0x00000000000000000000000000000000000d47a5";
        var chain = new SyntheticChain(registry, s.Events, s.PerBlock);
        var indexer = new ChainIndexer(db, chain, new ContractAddresses(registry, "0x" + new string('0', 39) + "1", "0x" + new string('0', 39) + "2"), NullLogger.Instance);
        var sw = Stopwatch.StartNew();
        var stored = await indexer.SyncOnceAsync(ct);
        sw.Stop();
        if (stored != chain.Events) throw new InvalidOperationException($"indexer stored {stored} of {chain.Events} events");
        await o.WriteLineAsync($"indexer: {stored:N0} events ({s.PerBlock} per block) into {db.Description}: {sw.Elapsed.TotalSeconds:F1} s, {stored / sw.Elapsed.TotalSeconds:N0} events/s");
    }

    private static async Task ApiAsync(Settings s, string dir, TextWriter o, CancellationToken ct)
    {
        await using var host = await DatanetsHost.StartAsync(new DatanetsOptions
        {
            DataDir = dir,
            Db = s.Db,
            RpcUrl = "http://127.0.0.1:9",
            ChainId = 1,
            Contracts = new ContractAddresses("0x00000000000000000000000000000000000d47a5", "0x" + new string('0', 39) + "1", "0x" + new string('0', 39) + "2"),
            Port = 0,
            RunIndexer = false,
        }, NullLoggerFactory.Instance, ct);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = s.Concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri(host.Url),
        };
        var contributors = Enumerable.Range(0, 1000).Select(i => new Address(Keccak256.Compute(BitConverter.GetBytes(i)).Bytes[..20]).ToLowerHex()).ToArray();
        var routes = new (string Name, Func<Random, string> Path)[]
        {
            ("datanet", _ => "/api/datanets/1"),
            ("contributions page", r => $"/api/datanets/1/contributions?limit=50&cursor={r.Next(s.Events - 50)}"),
            ("account", r => $"/api/accounts/{contributors[r.Next(contributors.Length)]}"),
        };
        foreach (var (name, path) in routes)
        {
            await LoadAsync(http, path, TimeSpan.FromSeconds(1), s.Concurrency, ct); // warm-up (JIT, pools)
            var (lat, seconds) = await LoadAsync(http, path, s.ApiDuration, s.Concurrency, ct);
            lat.Sort();
            double P(double q) => lat[Math.Min(lat.Count - 1, (int)(q * lat.Count))];
            await o.WriteLineAsync($"api {name,-20} {lat.Count / seconds,8:N0} req/s  p50 {P(0.50):F2} ms  p99 {P(0.99):F2} ms  ({s.Concurrency} connections, {lat.Count:N0} requests)");
        }
    }

    private static async Task<(List<double> Latencies, double Seconds)> LoadAsync(HttpClient http, Func<Random, string> path, TimeSpan duration, int concurrency, CancellationToken ct)
    {
        var all = new List<double>();
        var sw = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var r = new Random(w);
            var mine = new List<double>();
            while (sw.Elapsed < duration && !ct.IsCancellationRequested)
            {
                var t = Stopwatch.GetTimestamp();
                using var resp = await http.GetAsync(path(r), ct);
                await resp.Content.CopyToAsync(Stream.Null, ct);
                if (!resp.IsSuccessStatusCode) throw new InvalidOperationException($"API answered {(int)resp.StatusCode} during the load");
                mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
            return mine;
        }, ct)).ToArray();
        foreach (var m in await Task.WhenAll(workers)) all.AddRange(m);
        return (all, sw.Elapsed.TotalSeconds);
    }
}
