using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLedger.Datanets.Auth;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;

namespace OpenLedger.Datanets.Tests;

/// <summary>One Datanets service (own data directory and database) on the shared chain; the indexer runs when a test says so.</summary>
public sealed class ServiceHarness : IAsyncDisposable
{
    private ServiceHarness(DatanetsHost host, string dir, ITestChain chain)
    {
        Host = host;
        Dir = dir;
        Chain = chain;
        Http = new HttpClient { BaseAddress = new Uri(host.Url), Timeout = TimeSpan.FromSeconds(60) };
    }

    public DatanetsHost Host { get; }
    public string Dir { get; }
    public ITestChain Chain { get; }
    public HttpClient Http { get; }

    public static async Task<ServiceHarness> StartAsync(ITestChain chain, string db, Func<DatanetsOptions, DatanetsOptions>? configure = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "ol-datanets-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var (_, dbOption) = await TestDatabases.CreateAsync(db, dir);
        var options = new DatanetsOptions
        {
            DataDir = dir,
            Db = dbOption,
            RpcUrl = chain.RpcUrl,
            ChainId = chain.ChainId,
            Contracts = chain.Contracts,
            Port = 0,
            RunIndexer = false,
            SweepInterval = TimeSpan.FromHours(1),
        };
        if (configure != null) options = configure(options);
        return new ServiceHarness(await DatanetsHost.StartAsync(options, NullLoggerFactory.Instance), dir, chain);
    }

    public Task<int> IndexAsync() => Host.Indexer.SyncOnceAsync();

    /// <summary>Uploads <paramref name="body"/> to a Datanet signed by dev account <paramref name="account"/>; the knobs break one thing at a time.</summary>
    public async Task<(int Status, JsonElement Json, HttpResponseMessage Response)> UploadAsync(int account, long datanetId, byte[] body,
        long? expiry = null, UInt256? nonce = null, Hash256? signedHash = null, long? signedSize = null, int? signerAccount = null, ulong? chainId = null)
    {
        var hash = signedHash ?? Keccak256.Compute(body);
        var permit = new UploadPermit(datanetId, hash, signedSize ?? body.Length, expiry ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600,
            nonce ?? new UInt256((ulong)Random.Shared.NextInt64(1, long.MaxValue)));
        using var key = new EthKey(Chain.Accounts[signerAccount ?? account].Key);
        var sig = permit.Sign(chainId ?? Chain.ChainId, Chain.Contracts.DatanetRegistry, key);
        using var req = new HttpRequestMessage(HttpMethod.Post, $"/api/datanets/{datanetId}/contributions") { Content = new ByteArrayContent(body) };
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        req.Headers.Add("X-Upload-Contributor", Chain.Accounts[account].Address.ToLowerHex());
        req.Headers.Add("X-Upload-Content-Hash", hash.ToString());
        req.Headers.Add("X-Upload-Expiry", permit.Expiry.ToString(System.Globalization.CultureInfo.InvariantCulture));
        req.Headers.Add("X-Upload-Nonce", permit.Nonce.ToString());
        req.Headers.Add("X-Upload-Signature", Hex.Encode(sig));
        var resp = await Http.SendAsync(req);
        var text = await resp.Content.ReadAsStringAsync();
        return ((int)resp.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone(), resp);
    }

    public async Task<JsonElement> GetJsonAsync(string path, int expectStatus = 200)
    {
        using var resp = await Http.GetAsync(path);
        var text = await resp.Content.ReadAsStringAsync();
        Assert.True((int)resp.StatusCode == expectStatus, $"GET {path}: HTTP {(int)resp.StatusCode}, expected {expectStatus}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Files in the content store (objects and temporaries).</summary>
    public int StoredFiles() => Directory.EnumerateFiles(Host.Context.Store.Root, "*", SearchOption.AllDirectories).Count();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
