using System.Net;
using System.Text.Json;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Merkle;

namespace OpenLedger.AI.Provenance;

/// <summary>A published Datanet version a model was trained on (what ModelRegistry's DatanetRef holds).</summary>
public sealed record DatanetVersionRef(ulong DatanetId, ulong Version, Hash256 Root);

/// <summary>One approved contribution of a version, its bytes checked against its content hash.</summary>
public sealed record DatanetContribution(ulong ContributionId, Hash256 ContentHash, byte[] Content);

/// <summary>A Datanet version's contributions, each proven under the version root; <see cref="RootCheckedOnChain"/> says whether that root was compared with DatanetRegistry's.</summary>
public sealed record DatanetVersionData(DatanetVersionRef Ref, IReadOnlyList<DatanetContribution> Contributions, bool RootCheckedOnChain);

/// <summary>Where DatanetRegistry lives, to check a version root against the chain.</summary>
public sealed record ChainEndpoint(string RpcUrl, Address Registry);

/// <summary>
/// Fetches a published Datanet version from the Datanets REST API (<c>GET /api/datanets/{id}/versions/{v}</c> for the
/// manifest with a proof per contribution, <c>GET /api/contributions/{hash}</c> for the bytes) and trusts none of it:
/// each contribution's bytes must hash to its content hash, each (id, hash) leaf must prove into the manifest root,
/// the count must match, and, given a chain endpoint, the root must equal <c>DatanetRegistry.versionRoot(id, v)</c>.
/// </summary>
public static class DatanetVersionSource
{
    public static async Task<DatanetVersionData> FetchAsync(string apiUrl, ulong datanetId, ulong version, ChainEndpoint? chain, CancellationToken ct = default)
    {
        if (!Uri.TryCreate(apiUrl.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"--api: '{apiUrl}' is not an http(s) URL");
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(2) };
        string what = $"Datanet {datanetId} version {version}";

        JsonElement m = await GetJsonAsync(http, $"api/datanets/{datanetId}/versions/{version}", what, ct);
        Hash256 root = HashField(m, "root", what);
        if (Num(m, "datanetId", what) != datanetId || Num(m, "version", what) != version)
            throw new InvalidDataException($"{what}: the API answered with the manifest of Datanet {Num(m, "datanetId", what)} version {Num(m, "version", what)}");
        if (!m.TryGetProperty("contributions", out var entries) || entries.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{what}: the manifest has no 'contributions' array");
        ulong count = Num(m, "count", what);
        if ((ulong)entries.GetArrayLength() != count)
            throw new InvalidDataException($"{what}: the manifest lists {entries.GetArrayLength()} contributions, its count is {count}");
        if (count == 0) throw new InvalidDataException($"{what} has no contributions to train on");

        if (chain != null)
        {
            var onChain = await RegistryCalls.VersionRootAsync(chain, datanetId, version, ct);
            if (onChain == Hash256.Zero) throw new InvalidDataException($"{what} is not published on the chain (DatanetRegistry {chain.Registry} at {chain.RpcUrl})");
            if (onChain != root) throw new InvalidDataException($"{what}: root mismatch: the API's manifest has {root}, DatanetRegistry.versionRoot is {onChain}");
        }

        var list = new List<DatanetContribution>((int)count);
        var seen = new HashSet<ulong>();
        foreach (var e in entries.EnumerateArray())
        {
            ulong id = Num(e, "contributionId", what);
            string where = $"{what}, contribution {id}";
            if (!seen.Add(id)) throw new InvalidDataException($"{where} is listed twice");
            var hash = HashField(e, "contentHash", where);
            if (!e.TryGetProperty("proof", out var proofJson) || proofJson.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{where}: no 'proof' array");
            var proof = proofJson.EnumerateArray().Select(p => Hash256.TryParse(p.GetString(), out var h) ? h : throw new InvalidDataException($"{where}: proof element '{p}' is not a 32-byte hex hash")).ToList();
            if (!MerkleProof.Verify(proof, root, LeafHash(id, hash)))
                throw new InvalidDataException($"{where}: its proof does not lead to the version root {root}");
            byte[] bytes = await GetBytesAsync(http, $"api/contributions/{hash}", where, ct);
            var actual = Keccak256.Compute(bytes);
            if (actual != hash) throw new InvalidDataException($"{where}: the bytes served hash to {actual}, the contribution's content hash is {hash}");
            list.Add(new DatanetContribution(id, hash, bytes));
        }
        return new DatanetVersionData(new DatanetVersionRef(datanetId, version, root), list, chain != null);
    }

    /// <summary>The version tree's leaf: StandardMerkleTree's keccak(keccak(abi.encode(uint256 id, bytes32 contentHash))).</summary>
    public static Hash256 LeafHash(ulong contributionId, Hash256 contentHash)
    {
        Span<byte> encoded = stackalloc byte[64];
        new UInt256(contributionId).WriteBigEndian(encoded[..32]);
        contentHash.Bytes.CopyTo(encoded[32..]);
        return Keccak256.Compute(Keccak256.Compute(encoded).Bytes);
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path, string what, CancellationToken ct)
    {
        using var resp = await Send(http, path, what, ct);
        string text = await resp.Content.ReadAsStringAsync(ct);
        if (!resp.IsSuccessStatusCode) throw new InvalidDataException($"{what}: GET {http.BaseAddress}{path} answered HTTP {(int)resp.StatusCode}: {Detail(text)}");
        try { return JsonDocument.Parse(text).RootElement.Clone(); }
        catch (JsonException e) { throw new InvalidDataException($"{what}: GET {path} did not answer JSON: {e.Message}"); }
    }

    private static async Task<byte[]> GetBytesAsync(HttpClient http, string path, string what, CancellationToken ct)
    {
        using var resp = await Send(http, path, what, ct);
        if (!resp.IsSuccessStatusCode)
            throw new InvalidDataException($"{what}: GET {http.BaseAddress}{path} answered HTTP {(int)resp.StatusCode}: {Detail(await resp.Content.ReadAsStringAsync(ct))}");
        return await resp.Content.ReadAsByteArrayAsync(ct);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient http, string path, string what, CancellationToken ct)
    {
        try { return await http.GetAsync(path, ct); }
        catch (HttpRequestException e) { throw new InvalidDataException($"{what}: the Datanets API at {http.BaseAddress} cannot be reached: {e.Message}"); }
    }

    /// <summary>An RFC 7807 problem's detail, else the start of the body.</summary>
    private static string Detail(string body)
    {
        try { if (JsonDocument.Parse(body).RootElement.TryGetProperty("detail", out var d)) return d.ToString(); } catch (JsonException) { }
        return body.Length > 200 ? body[..200] : body;
    }

    private static ulong Num(JsonElement e, string name, string what) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out var n) ? n
            : throw new InvalidDataException($"{what}: '{name}' is missing or not an unsigned integer");

    private static Hash256 HashField(JsonElement e, string name, string what) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && Hash256.TryParse(v.GetString(), out var h) ? h
            : throw new InvalidDataException($"{what}: '{name}' is missing or not a 32-byte hex hash");
}
