using Dapper;
using OpenLedger.Datanets.Auth;
using OpenLedger.Datanets.Indexing;
using OpenLedger.Datanets.Storage;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Datanets.Content;

/// <summary>What an accepted upload returns: the stored content and the call that makes it a contribution.</summary>
public sealed record UploadResult(long DatanetId, string ContentHash, long Size, string MediaType, string Uploader, bool Created, string ContributeTo, string ContributeData);

/// <summary>
/// Accepts an upload: rate limits per IP, the EIP-712 permit (signer, expiry, nonce never used before), the Datanet's
/// on-chain settings (kind, max file size) and today's quotas, all before a byte of the body is read; then streams the
/// body into the content store, checking size, hash and type, and records it as pending until the contribute
/// transaction naming its hash is indexed.
/// </summary>
public sealed class UploadService(Database db, ContentStore store, DatanetsOptions options, RegistryViews? views)
{
    private static readonly AbiFunction Contribute = AbiFunction.FromSignature("contribute(uint256,bytes32,uint64,string)");
    private readonly RateLimiter _perIp = new(options.IpBurst, options.IpPerMinute);
    private readonly RateLimiter _perAddress = new(options.AddressBurst, options.AddressPerMinute);

    public async Task<UploadResult> UploadAsync(UploadPermit permit, Address claimed, byte[] signature, string clientIp, Stream body, CancellationToken ct)
    {
        if (!_perIp.TryTake(clientIp, out var wait))
            throw new ApiException(429, "Too many uploads from this address", $"IP {clientIp} is over its upload rate") { RetryAfter = wait };

        var signer = permit.Signer(options.ChainId, options.Contracts.DatanetRegistry, signature)
            ?? throw new ApiException(401, "Bad signature", "the signature is not a valid 65-byte secp256k1 signature over the upload permit");
        if (signer != claimed)
            throw new ApiException(401, "Bad signature", $"the permit was signed by {signer.ToLowerHex()}, not by {claimed.ToLowerHex()} (check datanetId, contentHash, size, expiry, nonce and the chain id {options.ChainId})");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (permit.Expiry <= now)
            throw new ApiException(401, "Permit expired", $"the permit expired at {permit.Expiry} (now {now})");
        if (permit.Expiry > now + (long)options.MaxPermitLifetime.TotalSeconds)
            throw new ApiException(400, "Permit lives too long", $"expiry may be at most {(long)options.MaxPermitLifetime.TotalSeconds} s from now");
        var uploader = signer.ToLowerHex();
        if (!_perAddress.TryTake(uploader, out wait))
            throw new ApiException(429, "Too many uploads from this account", $"{uploader} is over its upload rate") { RetryAfter = wait };

        await using var c = await db.OpenAsync(ct);
        var datanet = await c.QueryFirstOrDefaultAsync<DatanetLimits>(
            "SELECT kind AS Kind, max_file_bytes AS MaxFileBytes FROM datanets WHERE id = @id", new { id = permit.DatanetId })
            ?? throw new ApiException(404, "Unknown Datanet", $"Datanet {permit.DatanetId} is not on the chain (or not indexed yet)");
        if (permit.Size <= 0)
            throw new ApiException(400, "Empty upload", "size must be at least 1 byte");
        if (permit.Size > datanet.MaxFileBytes)
            throw new ApiException(413, "File too large", $"Datanet {permit.DatanetId} accepts files up to {datanet.MaxFileBytes} bytes; this one has {permit.Size}");
        var hashHex = permit.ContentHash.ToString();
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM contributions WHERE datanet_id = @d AND content_hash = @h", new { d = permit.DatanetId, h = hashHex }) > 0)
            throw new ApiException(409, "Already contributed", $"{hashHex} is already a contribution of Datanet {permit.DatanetId}");
        var existing = await c.QueryFirstOrDefaultAsync<string?>("SELECT uploader FROM uploads WHERE datanet_id = @d AND content_hash = @h", new { d = permit.DatanetId, h = hashHex });
        if (existing != null && existing != uploader)
            throw new ApiException(409, "Uploaded by someone else", $"{hashHex} is pending in Datanet {permit.DatanetId} for another contributor");

        if (existing == null) await CheckQuotaAsync(c, signer, permit, ct);

        // The nonce is spent before the body is read: a replayed permit never stores a byte.
        try
        {
            await c.ExecuteAsync("INSERT INTO upload_nonces (address, nonce, used_at) VALUES (@a, @n, @t)", new { a = uploader, n = permit.Nonce.ToString(), t = now });
        }
        catch (System.Data.Common.DbException e) when (IsUniqueViolation(e))
        {
            throw new ApiException(409, "Permit already used", $"nonce {permit.Nonce} of {uploader} was used before; sign a new permit");
        }

        var kind = (ContentKind)datanet.Kind;
        UploadResult Result(string mediaType, bool created) =>
            new(permit.DatanetId, hashHex, permit.Size, mediaType, uploader, created, options.Contracts.DatanetRegistry,
                Hex.Encode(Contribute.EncodeCall(new UInt256((ulong)permit.DatanetId), permit.ContentHash.ToArray(), new UInt256((ulong)permit.Size), "")));
        if (existing != null)
        {
            var mt = await c.ExecuteScalarAsync<string>("SELECT media_type FROM uploads WHERE datanet_id = @d AND content_hash = @h", new { d = permit.DatanetId, h = hashHex });
            return Result(mt!, false); // the same contributor again (a retry): nothing to store
        }

        var (temp, content) = await store.ReceiveAsync(body, permit.Size, permit.ContentHash, kind, ct);
        return await store.WithLockAsync(permit.ContentHash, async () =>
        {
            store.Commit(temp, permit.ContentHash);
            await using var tx = await c.BeginTransactionAsync(ct);
            var inserted = await c.ExecuteAsync("""
                INSERT INTO uploads (datanet_id, content_hash, uploader, size, media_type, created_at) VALUES (@d, @h, @u, @s, @m, @t)
                ON CONFLICT (datanet_id, content_hash) DO NOTHING
                """, new { d = permit.DatanetId, h = hashHex, u = uploader, s = permit.Size, m = content.MediaType, t = now }, tx);
            if (content.Text != null && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM text_search WHERE content_hash = @h", new { h = hashHex }, tx) == 0)
                await c.ExecuteAsync("INSERT INTO text_search (content_hash, body) VALUES (@h, @b)", new { h = hashHex, b = content.Text }, tx);
            await tx.CommitAsync(ct);
            if (inserted == 0)
            {
                var who = await c.ExecuteScalarAsync<string>("SELECT uploader FROM uploads WHERE datanet_id = @d AND content_hash = @h", new { d = permit.DatanetId, h = hashHex });
                if (who != uploader) throw new ApiException(409, "Uploaded by someone else", $"{hashHex} is pending in Datanet {permit.DatanetId} for another contributor");
            }
            return Result(content.MediaType, inserted > 0);
        }, ct);
    }

    /// <summary>Today's on-chain usage plus this service's pending uploads, against the registry's daily limits.</summary>
    private async Task CheckQuotaAsync(System.Data.Common.DbConnection c, Address signer, UploadPermit permit, CancellationToken ct)
    {
        if (views == null) return;
        var q = await views.QuotaAsync(signer, permit.DatanetId, ct);
        var dayStart = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 86400 * 86400;
        var untilMidnight = TimeSpan.FromSeconds(dayStart + 86400 - DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        const string pending = "FROM uploads u WHERE u.created_at >= @day AND NOT EXISTS (SELECT 1 FROM contributions k WHERE k.datanet_id = u.datanet_id AND k.content_hash = u.content_hash)";
        var mine = await c.QueryFirstAsync<(long Files, long Bytes)>($"SELECT COUNT(*), CAST(COALESCE(SUM(u.size), 0) AS BIGINT) {pending} AND u.uploader = @u", new { day = dayStart, u = signer.ToLowerHex() });
        var net = await c.ExecuteScalarAsync<long>($"SELECT CAST(COALESCE(SUM(u.size), 0) AS BIGINT) {pending} AND u.datanet_id = @d", new { day = dayStart, d = permit.DatanetId });
        var size = (ulong)permit.Size;
        if (q.UserFiles + (ulong)mine.Files + 1 > q.MaxUserFiles)
            throw new ApiException(429, "Daily file quota reached", $"{signer.ToLowerHex()} has {q.UserFiles} contributions today and {mine.Files} pending; the limit is {q.MaxUserFiles} a day") { RetryAfter = untilMidnight };
        if (q.UserBytes + new UInt256((ulong)mine.Bytes + size) > q.MaxUserBytes)
            throw new ApiException(429, "Daily byte quota reached", $"{signer.ToLowerHex()} would use more than {q.MaxUserBytes} bytes today ({q.UserBytes} on-chain, {mine.Bytes} pending, {size} now)") { RetryAfter = untilMidnight };
        if (q.DatanetBytes + new UInt256((ulong)net + size) > q.MaxDatanetBytes)
            throw new ApiException(429, "Datanet daily quota reached", $"Datanet {permit.DatanetId} would receive more than {q.MaxDatanetBytes} bytes today") { RetryAfter = untilMidnight };
    }

    private sealed record DatanetLimits(long Kind, long MaxFileBytes);

    internal static bool IsUniqueViolation(System.Data.Common.DbException e) => e switch
    {
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode == 19, // SQLITE_CONSTRAINT
        Npgsql.PostgresException p => p.SqlState == "23505",
        _ => false,
    };
}
