using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OpenLedger.Datanets.Versions;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Merkle;

namespace OpenLedger.Datanets.Tests;

/// <summary>Upload → contribute on our L2 → index → download, review, version root, publish, manifest with proofs; on both databases.</summary>
[Collection(ChainCollection.Name)]
public sealed class UploadFlowTests(ChainFixture chain)
{
    private const int Owner = 1, Contributor = 2;

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task UploadLands_IsServedWithETag_ThenVersionManifestProvesEachContribution(string db)
    {
        await using var svc = await ServiceHarness.StartAsync(chain, db);
        var id = await chain.CreateDatanetAsync(Owner, "flow-" + db, kind: 0, maxFileBytes: 1000);
        await svc.IndexAsync();

        var bodyA = Encoding.UTF8.GetBytes("alpha: the quick brown fox " + Guid.NewGuid());
        var bodyB = Encoding.UTF8.GetBytes("beta: jumps over the lazy dog " + Guid.NewGuid());
        var (status, json, _) = await svc.UploadAsync(Contributor, id, bodyA);
        Assert.True(status == 201, json.ToString());
        var hashA = Keccak256.Compute(bodyA);
        Assert.Equal(hashA.ToString(), json.GetProperty("contentHash").GetString());
        Assert.Equal("text/plain; charset=utf-8", json.GetProperty("mediaType").GetString());

        // Pending: not served until the contribute transaction lands.
        await svc.GetJsonAsync($"/api/contributions/{hashA}", 404);
        // The same contributor again (a retry) is accepted without storing twice.
        var (again, _, _) = await svc.UploadAsync(Contributor, id, bodyA);
        Assert.Equal(200, again);

        await chain.ContributeAsync(Contributor, id, hashA, bodyA.Length);
        Assert.Equal(201, (await svc.UploadAsync(Contributor, id, bodyB)).Status);
        await chain.ContributeAsync(Contributor, id, Keccak256.Compute(bodyB), bodyB.Length);
        Assert.True(await svc.IndexAsync() >= 2);

        using (var resp = await svc.Http.GetAsync($"/api/contributions/{hashA}"))
        {
            Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
            Assert.Equal(bodyA, await resp.Content.ReadAsByteArrayAsync());
            Assert.Equal($"\"{hashA}\"", resp.Headers.ETag!.Tag);
            Assert.Contains("immutable", resp.Headers.CacheControl!.ToString());
        }
        using (var req = new HttpRequestMessage(HttpMethod.Get, $"/api/contributions/{hashA}"))
        {
            req.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{hashA}\""));
            using var resp = await svc.Http.SendAsync(req);
            Assert.Equal(HttpStatusCode.NotModified, resp.StatusCode);
        }

        // List, filter, search, pages.
        var list = await svc.GetJsonAsync($"/api/datanets/{id}/contributions");
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
        Assert.All(list.GetProperty("items").EnumerateArray(), c => Assert.Equal("pending", c.GetProperty("status").GetString()));
        var found = await svc.GetJsonAsync($"/api/datanets/{id}/contributions?q=lazy%20dog");
        Assert.Single(found.GetProperty("items").EnumerateArray());
        Assert.Equal(Keccak256.Compute(bodyB).ToString(), found.GetProperty("items")[0].GetProperty("contentHash").GetString());
        var hostile = await svc.GetJsonAsync($"/api/datanets/{id}/contributions?q={Uri.EscapeDataString("\"); DROP TABLE contributions; -- OR *")}");
        Assert.Empty(hostile.GetProperty("items").EnumerateArray());
        var page1 = await svc.GetJsonAsync($"/api/datanets/{id}/contributions?limit=1");
        Assert.Single(page1.GetProperty("items").EnumerateArray());
        var cursor = page1.GetProperty("nextCursor").GetString();
        var page2 = await svc.GetJsonAsync($"/api/datanets/{id}/contributions?limit=1&cursor={cursor}");
        Assert.Single(page2.GetProperty("items").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, page2.GetProperty("nextCursor").ValueKind);

        // Review both, publish the draft root: the manifest proves each contribution under the chain's root.
        var ids = list.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToArray();
        foreach (var cid in ids.Reverse()) // approval order differs from id order on purpose
            await chain.SendAsync(Owner, chain.Contracts.DatanetRegistry, "review(uint256,bool)", [new UInt256((ulong)cid), true]);
        await svc.IndexAsync();
        var draft = await svc.GetJsonAsync($"/api/datanets/{id}/versions/draft");
        Assert.Equal(2, draft.GetProperty("count").GetInt64());
        Assert.Equal(ids.Reverse().ToArray(), draft.GetProperty("contributionIds").EnumerateArray().Select(x => x.GetInt64()).ToArray());
        var root = Hash256.Parse(draft.GetProperty("root").GetString()!);
        await chain.SendAsync(Owner, chain.Contracts.DatanetRegistry, "publishVersion(uint256,bytes32,uint64)", [new UInt256((ulong)id), root.ToArray(), new UInt256(2)]);
        await svc.IndexAsync();
        var manifest = await svc.GetJsonAsync($"/api/datanets/{id}/versions/1");
        Assert.Equal(root.ToString(), manifest.GetProperty("root").GetString());
        foreach (var entry in manifest.GetProperty("contributions").EnumerateArray())
        {
            var leaf = VersionTree.LeafHash(new VersionLeaf(entry.GetProperty("contributionId").GetInt64(), Hash256.Parse(entry.GetProperty("contentHash").GetString()!)));
            Assert.Equal(leaf.ToString(), entry.GetProperty("leaf").GetString());
            var proof = entry.GetProperty("proof").EnumerateArray().Select(p => Hash256.Parse(p.GetString()!)).ToList();
            Assert.True(MerkleProof.Verify(proof, root, leaf));
        }
        var one = await svc.GetJsonAsync($"/api/datanets/{id}/versions/1/proofs/{ids[0]}");
        Assert.Equal(ids[0], one.GetProperty("contributionId").GetInt64());

        // A root nobody can reproduce: the manifest is refused.
        await chain.SendAsync(Owner, chain.Contracts.DatanetRegistry, "publishVersion(uint256,bytes32,uint64)",
            [new UInt256((ulong)id), Keccak256.Compute("not the approved set"u8).ToArray(), new UInt256(1)]);
        await svc.IndexAsync();
        var refused = await svc.GetJsonAsync($"/api/datanets/{id}/versions/2", 409);
        Assert.Contains("does not match the chain", refused.GetProperty("title").GetString());

        var account = await svc.GetJsonAsync($"/api/accounts/{chain.Accounts[Contributor].Address}");
        Assert.True(account.GetProperty("approved").GetInt64() >= 2);
        var detail = await svc.GetJsonAsync($"/api/datanets/{id}");
        Assert.Equal(2, detail.GetProperty("datanet").GetProperty("approved").GetInt64());
        Assert.Equal(2, detail.GetProperty("datanet").GetProperty("versions").GetInt64());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task BadUploads_AreRefusedWithProblemDetails_AndStoreNothing(string db)
    {
        await using var svc = await ServiceHarness.StartAsync(chain, db);
        var text = await chain.CreateDatanetAsync(Owner, "bad-" + db, kind: 0, maxFileBytes: 64);
        var images = await chain.CreateDatanetAsync(Owner, "img-" + db, kind: 1, maxFileBytes: 1024);
        await svc.IndexAsync();
        byte[] Body(string s) => Encoding.UTF8.GetBytes(s + Guid.NewGuid().ToString("N")[..8]);

        async Task Refused(int expected, string titlePart, Task<(int Status, System.Text.Json.JsonElement Json, HttpResponseMessage Response)> call)
        {
            var (status, json, resp) = await call;
            Assert.True(status == expected, $"expected {expected}, got {status}: {json}");
            Assert.Equal("application/problem+json", resp.Content.Headers.ContentType!.MediaType);
            Assert.Contains(titlePart, json.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
            Assert.Equal(expected, json.GetProperty("status").GetInt32());
        }

        await Refused(401, "Bad signature", svc.UploadAsync(Contributor, text, Body("signed by another key "), signerAccount: 3));
        await Refused(401, "Bad signature", svc.UploadAsync(Contributor, text, Body("signed for another chain "), chainId: 1));
        await Refused(401, "expired", svc.UploadAsync(Contributor, text, Body("expired "), expiry: DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1));
        await Refused(400, "too long", svc.UploadAsync(Contributor, text, Body("forever "), expiry: DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 86400 * 30));
        await Refused(413, "too large", svc.UploadAsync(Contributor, text, new byte[100]));
        await Refused(400, "hash mismatch", svc.UploadAsync(Contributor, text, Body("hash of something else "), signedHash: Keccak256.Compute("other"u8)));
        // The size is the body's Content-Length: a permit for another size does not verify.
        await Refused(401, "Bad signature", svc.UploadAsync(Contributor, text, Body("size "), signedSize: 5));
        await Refused(415, "Not text", svc.UploadAsync(Contributor, text, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]));
        await Refused(415, "Not text", svc.UploadAsync(Contributor, text, [0x61, 0xC3, 0x28, 0x62])); // invalid UTF-8
        await Refused(415, "Not image", svc.UploadAsync(Contributor, images, Body("plain text is not an image ")));
        await Refused(404, "Unknown Datanet", svc.UploadAsync(Contributor, 999_999, Body("nowhere ")));
        Assert.Equal(0, svc.StoredFiles());

        var nonce = new UInt256(42);
        Assert.Equal(201, (await svc.UploadAsync(Contributor, text, Body("first use "), nonce: nonce)).Status);
        await Refused(409, "already used", svc.UploadAsync(Contributor, text, Body("replayed "), nonce: nonce));
        // Same bytes pending for one contributor: another cannot take them over.
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 9, 9, 9 };
        Assert.Equal(201, (await svc.UploadAsync(Contributor, images, png)).Status);
        await Refused(409, "someone else", svc.UploadAsync(4, images, png));
        Assert.Equal(2, svc.StoredFiles());

        // Headers missing or malformed.
        using var bare = new HttpRequestMessage(HttpMethod.Post, $"/api/datanets/{text}/contributions") { Content = new ByteArrayContent([1, 2, 3]) };
        using var resp = await svc.Http.SendAsync(bare);
        Assert.Equal(HttpStatusCode.BadRequest, resp.StatusCode);
        Assert.Contains("X-Upload-", await resp.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task PendingUploadThatNeverLands_IsRemoved_LandedOneStays(string db)
    {
        await using var svc = await ServiceHarness.StartAsync(chain, db, o => o with { PendingTimeout = TimeSpan.Zero });
        var id = await chain.CreateDatanetAsync(Owner, "sweep-" + db, kind: 0, maxFileBytes: 1000);
        await svc.IndexAsync();
        var never = Encoding.UTF8.GetBytes("never lands " + Guid.NewGuid());
        var lands = Encoding.UTF8.GetBytes("lands " + Guid.NewGuid());
        Assert.Equal(201, (await svc.UploadAsync(Contributor, id, never)).Status);
        Assert.Equal(201, (await svc.UploadAsync(Contributor, id, lands)).Status);
        await chain.ContributeAsync(Contributor, id, Keccak256.Compute(lands), lands.Length);
        await svc.IndexAsync();
        Assert.Equal(2, svc.StoredFiles());
        await Task.Delay(1100); // created_at has one-second resolution: let the timeout of zero pass
        Assert.Equal(1, await svc.Host.Sweeper.SweepOnceAsync());
        Assert.Equal(1, svc.StoredFiles());
        Assert.False(svc.Host.Context.Store.Exists(Keccak256.Compute(never)));
        Assert.True(svc.Host.Context.Store.Exists(Keccak256.Compute(lands)));
        Assert.Equal(0, await svc.Host.Sweeper.SweepOnceAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task UploadsPerAddress_AreRateLimited(string db)
    {
        await using var svc = await ServiceHarness.StartAsync(chain, db, o => o with { AddressBurst = 2, AddressPerMinute = 0.001 });
        var id = await chain.CreateDatanetAsync(Owner, "rate-" + db, kind: 0, maxFileBytes: 1000);
        await svc.IndexAsync();
        Assert.Equal(201, (await svc.UploadAsync(5, id, Encoding.UTF8.GetBytes("r1 " + Guid.NewGuid()))).Status);
        Assert.Equal(201, (await svc.UploadAsync(5, id, Encoding.UTF8.GetBytes("r2 " + Guid.NewGuid()))).Status);
        var (status, json, resp) = await svc.UploadAsync(5, id, Encoding.UTF8.GetBytes("r3 " + Guid.NewGuid()));
        Assert.True(status == 429, json.ToString());
        Assert.NotNull(resp.Headers.RetryAfter);
        Assert.Equal(201, (await svc.UploadAsync(6, id, Encoding.UTF8.GetBytes("other account " + Guid.NewGuid()))).Status);
    }
}
