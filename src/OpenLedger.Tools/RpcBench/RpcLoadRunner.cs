using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OpenLedger.Tools.RpcBench;

/// <summary>What one workload measured on one node.</summary>
public sealed record RpcLoadResult(string Workload, int Transactions, double Seconds, ulong GasUsed, int Blocks, double P50Ms, double P99Ms, double CpuSeconds)
{
    /// <summary>CPU time of the node and the load generator per 1,000 transactions: unlike tx/s, it barely moves when other work shares the machine.</summary>
    public double CpuMsPerThousand => CpuSeconds * 1e6 / Transactions;
    public double TransactionsPerSecond => Transactions / Seconds;
    public double MgasPerSecond => GasUsed / 1e6 / Seconds;
}

/// <summary>
/// Drives one JSON-RPC endpoint on loopback: <c>concurrency</c> connections submit pre-signed
/// transactions (eth_sendRawTransaction, one per request) as fast as the node accepts them, while a
/// watcher follows the head and notes when each transaction lands in a block. Time to receipt is
/// submission to the watcher seeing the block (resolution: one poll, about a millisecond plus a request).
/// Throughput is transactions included / (last inclusion − first submission). At most <c>window</c>
/// transactions are outstanding (submitted, not yet seen in a block), so both nodes are offered the same
/// bounded load rather than a pool that grows without limit.
/// </summary>
public sealed class RpcLoadRunner : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _url;
    private readonly int _concurrency;
    private readonly int _window;
    private readonly Func<TimeSpan> _cpu;

    /// <param name="cpu">CPU time used so far by the node and this load generator together.</param>
    public RpcLoadRunner(string url, int concurrency, int window, Func<TimeSpan> cpu)
    {
        _cpu = cpu;
        _url = url;
        _concurrency = concurrency;
        _window = window;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency + 2, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public async Task<JsonElement> CallAsync(string method, string paramsJson, CancellationToken ct)
    {
        var doc = await PostAsync(Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":{paramsJson}}}"), ct);
        if (doc.TryGetProperty("error", out var e)) throw new InvalidOperationException($"{method}: {e}");
        return doc.GetProperty("result");
    }

    private async Task<JsonElement> PostAsync(byte[] body, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var resp = await _http.PostAsync(_url, content, ct);
        var bytes = await resp.Content.ReadAsByteArrayAsync(ct);
        if (!resp.IsSuccessStatusCode) throw new InvalidOperationException($"HTTP {(int)resp.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        return JsonDocument.Parse(bytes).RootElement.Clone();
    }

    private static ulong Quantity(JsonElement e) => ulong.Parse(e.GetString()!.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>Submits <paramref name="txs"/> and waits until every one is in a block.</summary>
    public async Task<RpcLoadResult> RunAsync(string workload, IReadOnlyList<SignedLoadTx> txs, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var index = new Dictionary<string, int>(txs.Count, StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < txs.Count; i++) index[txs[i].Hash] = i;
        var sent = new long[txs.Count];
        var landed = new long[txs.Count];
        ulong startBlock = Quantity(await CallAsync("eth_blockNumber", "[]", cts.Token));
        long first = Stopwatch.GetTimestamp();
        var cpuStart = _cpu();

        // Each connection owns a fixed set of senders and submits their transactions in nonce order:
        // a nonce gap would park transactions in the pool, which measures the pool, not the node.
        int submitted = 0;
        using var window = new SemaphoreSlim(_window, int.MaxValue);
        var lanes = new List<int>[_concurrency];
        for (int w = 0; w < _concurrency; w++) lanes[w] = [];
        var laneOf = new Dictionary<OpenLedger.Primitives.Address, int>();
        for (int i = 0; i < txs.Count; i++)
        {
            if (!laneOf.TryGetValue(txs[i].Sender, out var lane)) laneOf[txs[i].Sender] = lane = laneOf.Count % _concurrency;
            lanes[lane].Add(i);
        }
        async Task SendLoop(List<int> lane)
        {
            using var connection = await RawHttpConnection.ConnectAsync(new Uri(_url), cts.Token);
            foreach (var i in lane)
            {
                await window.WaitAsync(cts.Token);
                Volatile.Write(ref sent[i], Stopwatch.GetTimestamp());
                Interlocked.Increment(ref submitted);
                var response = await connection.PostAsync(txs[i].RequestBody, cts.Token);
                if (ErrorOf(response.Span) is { } e) throw new InvalidOperationException($"{workload}: eth_sendRawTransaction #{i} rejected: {e}");
            }
        }

        int included = 0;
        var watcher = Task.Run(async () =>
        {
            ulong seen = startBlock, gas = 0;
            int blocks = 0;
            while (included < txs.Count)
            {
                ulong head = Quantity(await CallAsync("eth_blockNumber", "[]", cts.Token));
                while (seen < head)
                {
                    ulong to = Math.Min(head, seen + 100);
                    var batch = new StringBuilder("[");
                    for (ulong n = seen + 1; n <= to; n++)
                        batch.Append(n == seen + 1 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"jsonrpc\":\"2.0\",\"id\":{n},\"method\":\"eth_getBlockByNumber\",\"params\":[\"0x{n:x}\",false]}}");
                    batch.Append(']');
                    var arr = await PostAsync(Encoding.UTF8.GetBytes(batch.ToString()), cts.Token);
                    long now = Stopwatch.GetTimestamp();
                    foreach (var item in arr.EnumerateArray())
                    {
                        var block = item.GetProperty("result");
                        int ours = 0;
                        foreach (var h in block.GetProperty("transactions").EnumerateArray())
                            if (index.TryGetValue(h.GetString()!, out var i))
                            {
                                landed[i] = now;
                                ours++;
                            }
                        if (ours > 0)
                        {
                            gas += Quantity(block.GetProperty("gasUsed"));
                            blocks++;
                            Interlocked.Add(ref included, ours);
                            window.Release(ours);
                        }
                    }
                    seen = to;
                }
                if (included < txs.Count) await Task.Delay(1, cts.Token);
            }
            return (gas, blocks);
        }, cts.Token);

        try
        {
            await Task.WhenAll(lanes.Select(lane => Task.Run(() => SendLoop(lane), cts.Token)));
            var (gasUsed, blockCount) = await watcher;
            long last = landed.Max();
            var cpu = (_cpu() - cpuStart).TotalSeconds;
            var latencies = new double[txs.Count];
            for (int i = 0; i < txs.Count; i++) latencies[i] = Stopwatch.GetElapsedTime(sent[i], landed[i]).TotalMilliseconds;
            Array.Sort(latencies);
            return new RpcLoadResult(workload, txs.Count, Stopwatch.GetElapsedTime(first, last).TotalSeconds, gasUsed, blockCount,
                Percentile(latencies, 0.50), Percentile(latencies, 0.99), cpu);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            string pool;
            try
            {
                var head = await CallAsync("eth_getBlockByNumber", "[\"latest\",false]", ct);
                pool = $"{await CallAsync("txpool_status", "[]", ct)}, head {Quantity(head.GetProperty("number"))} base fee {Quantity(head.GetProperty("baseFeePerGas"))} gas used {Quantity(head.GetProperty("gasUsed"))}";
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException) { pool = "unknown"; }
            throw new TimeoutException($"{workload}: {Volatile.Read(ref included)} of {txs.Count} transactions included within {timeout.TotalSeconds:F0} s ({Volatile.Read(ref submitted)} submitted; pool {pool})");
        }
        finally
        {
            await cts.CancelAsync();
            try { await watcher; } catch (Exception) { /* reported above */ }
        }
    }

    /// <summary>The "error" member of a JSON-RPC response, or null; the result itself is not needed.</summary>
    private static string? ErrorOf(ReadOnlySpan<byte> response)
    {
        var reader = new Utf8JsonReader(response);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return "not a JSON object: " + Encoding.UTF8.GetString(response);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8)) return Encoding.UTF8.GetString(response);
                reader.Read();
                reader.Skip(); // a nested value; no-op on a primitive
            }
            return null;
        }
        catch (JsonException e)
        {
            return $"malformed JSON ({e.Message}): {Encoding.UTF8.GetString(response)}";
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public void Dispose() => _http.Dispose();
}
