using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using OpenLedger.AI.Provenance;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Merkle;

namespace OpenLedger.AI.Tests;

/// <summary>
/// What the Datanet version reader refuses from an API that lies: bytes that do not match their hash, a proof that
/// does not reach the root, a count that disagrees, another version's manifest, an error status. The honest answers
/// come from a real Datanets API in the Datanets tests; these answers cannot, so a loopback HttpListener serves them.
/// </summary>
public sealed class DatanetVersionSourceTests
{
    private sealed class FakeApi : IDisposable
    {
        private readonly HttpListener _listener = new();
        public readonly Dictionary<string, (int Status, byte[] Body)> Routes = new();
        public string Url { get; }

        public FakeApi()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext ctx;
                    try { ctx = await _listener.GetContextAsync(); } catch (Exception) { return; }
                    var (status, body) = Routes.TryGetValue(ctx.Request.Url!.AbsolutePath, out var r) ? r : (404, "{\"detail\":\"no route\"}"u8.ToArray());
                    ctx.Response.StatusCode = status;
                    await ctx.Response.OutputStream.WriteAsync(body);
                    ctx.Response.Close();
                }
            });
        }

        public void Dispose() => _listener.Close();
    }

    private static readonly byte[][] Bodies = ["one"u8.ToArray(), "two"u8.ToArray(), "{\"instruction\":\"q\",\"output\":\" a\"}"u8.ToArray()];
    private static readonly ulong[] Ids = [7, 9, 12];

    /// <summary>An honest manifest for Datanet 3 version 1 over the three bodies.</summary>
    private static (JsonObject Manifest, Hash256 Root) Manifest()
    {
        var leaves = Ids.Select((id, i) => DatanetVersionSource.LeafHash(id, Keccak256.Compute(Bodies[i]))).ToArray();
        var tree = StandardMerkleLayout.Build(leaves, out var at);
        var entries = new JsonArray();
        for (int i = 0; i < Ids.Length; i++)
            entries.Add(new JsonObject
            {
                ["contributionId"] = Ids[i], ["contentHash"] = Keccak256.Compute(Bodies[i]).ToString(), ["size"] = Bodies[i].Length,
                ["proof"] = new JsonArray(StandardMerkleLayout.Proof(tree, at[i]).Select(h => (JsonNode)h.ToString()).ToArray()),
            });
        return (new JsonObject { ["datanetId"] = 3, ["version"] = 1, ["root"] = tree[0].ToString(), ["count"] = 3, ["contributions"] = entries }, tree[0]);
    }

    private static void Serve(FakeApi api, JsonObject manifest, Func<int, byte[]>? body = null)
    {
        api.Routes["/api/datanets/3/versions/1"] = (200, Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        for (int i = 0; i < Bodies.Length; i++)
            api.Routes[$"/api/contributions/{Keccak256.Compute(Bodies[i])}"] = (200, body?.Invoke(i) ?? Bodies[i]);
    }

    [Fact]
    public async Task Reads_an_honest_version_and_refuses_each_lie_naming_it()
    {
        using var api = new FakeApi();
        var (m, root) = Manifest();
        Serve(api, m);
        var ok = await DatanetVersionSource.FetchAsync(api.Url, 3, 1, chain: null);
        Assert.Equal(root, ok.Ref.Root);
        Assert.False(ok.RootCheckedOnChain);
        Assert.Equal(Ids, ok.Contributions.Select(c => c.ContributionId));
        Assert.Equal(Bodies[1], ok.Contributions[1].Content);

        async Task<string> Refused() => (await Assert.ThrowsAsync<InvalidDataException>(() => DatanetVersionSource.FetchAsync(api.Url, 3, 1, chain: null))).Message;

        Serve(api, m, i => i == 1 ? "tw0"u8.ToArray() : Bodies[i]);
        Assert.Contains("contribution 9: the bytes served hash to", await Refused());

        var swapped = (JsonObject)m.DeepClone();
        (swapped["contributions"]![0]!["proof"], swapped["contributions"]![2]!["proof"]) = (swapped["contributions"]![2]!["proof"]!.DeepClone(), swapped["contributions"]![0]!["proof"]!.DeepClone());
        Serve(api, swapped);
        Assert.Contains("proof does not lead to the version root", await Refused());

        var miscounted = (JsonObject)m.DeepClone();
        miscounted["count"] = 4;
        Serve(api, miscounted);
        Assert.Contains("lists 3 contributions, its count is 4", await Refused());

        var other = (JsonObject)m.DeepClone();
        other["version"] = 2;
        Serve(api, other);
        Assert.Contains("answered with the manifest of Datanet 3 version 2", await Refused());

        var foreignId = (JsonObject)m.DeepClone();
        foreignId["contributions"]![0]!["contributionId"] = 8; // a leaf the root does not hold
        Serve(api, foreignId);
        Assert.Contains("contribution 8: its proof does not lead", await Refused());

        api.Routes["/api/datanets/3/versions/1"] = (409, "{\"title\":\"Root mismatch\",\"detail\":\"the chain's root cannot be reproduced\"}"u8.ToArray());
        Assert.Contains("HTTP 409: the chain's root cannot be reproduced", await Refused());

        await Assert.ThrowsAsync<ArgumentException>(() => DatanetVersionSource.FetchAsync("ftp://x", 3, 1, chain: null));
    }
}
