using System.Globalization;
using System.Numerics;
using System.Text.Json;
using OpenLedger.Datanets.Storage;

namespace OpenLedger.Datanets.Indexing;

/// <summary>
/// Turns stored chain events into the query tables (datanets, curators, contributions, reviews, versions, models,
/// model_versions, epochs, claims). The tables are a pure function of the event sequence: live indexing applies events
/// one by one, and a reorg or a rebuild clears the tables and replays <c>chain_events</c> in (block, log index) order.
/// </summary>
public static class Projector
{
    public static readonly string[] Tables =
        ["datanets", "curators", "contributions", "reviews", "versions", "models", "model_versions", "epochs", "claims"];

    /// <summary>Log indexes stay below 2^20 (a 30M-gas block holds at most 80k logs), so this orders approvals by (block, log).</summary>
    public static long Sequence(long block, long logIndex) => (block << 20) | logIndex;

    public static async Task ApplyAsync(SqlBatch c, ChainEvent e)
    {
        using var doc = JsonDocument.Parse(e.Args);
        var a = doc.RootElement;
        string S(string n) => a.GetProperty(n).GetString()!;
        long L(string n) => long.Parse(S(n), CultureInfo.InvariantCulture);
        var b = e.BlockNumber;
        switch (e.Name)
        {
            case "DatanetCreated":
                await c.ExecuteAsync("""
                    INSERT INTO datanets (id, owner, kind, name, metadata_uri, license, fee, max_file_bytes, contributions, approved, versions, created_block)
                    VALUES (@id, @owner, @kind, @name, @uri, @license, @fee, @max, 0, 0, 0, @b)
                    """, new { id = L("datanetId"), owner = S("owner"), kind = L("kind"), name = S("name"), uri = S("metadataURI"), license = S("license"), fee = S("fee"), max = L("maxFileBytes"), b });
                break;
            case "DatanetUpdated":
                await c.ExecuteAsync("UPDATE datanets SET metadata_uri = @uri, fee = @fee, max_file_bytes = @max WHERE id = @id",
                    new { id = L("datanetId"), uri = S("metadataURI"), fee = S("fee"), max = L("maxFileBytes") });
                break;
            case "DatanetOwnershipTransferred":
                await c.ExecuteAsync("UPDATE datanets SET owner = @o WHERE id = @id", new { id = L("datanetId"), o = S("newOwner") });
                break;
            case "CuratorSet":
                if (a.GetProperty("allowed").GetBoolean())
                    await c.ExecuteAsync("INSERT INTO curators (datanet_id, curator) VALUES (@id, @cur) ON CONFLICT (datanet_id, curator) DO NOTHING",
                        new { id = L("datanetId"), cur = S("curator") });
                else
                    await c.ExecuteAsync("DELETE FROM curators WHERE datanet_id = @id AND curator = @cur", new { id = L("datanetId"), cur = S("curator") });
                break;
            case "Contributed":
                await c.ExecuteAsync("""
                    INSERT INTO contributions (id, datanet_id, contributor, content_hash, size, metadata_uri, fee_paid, status, approval_seq, block_number, tx_hash)
                    VALUES (@id, @d, @who, @hash, @size, @uri, @fee, 1, NULL, @b, @txh)
                    """, new { id = L("contributionId"), d = L("datanetId"), who = S("contributor"), hash = S("contentHash"), size = L("size"), uri = S("metadataURI"), fee = S("feePaid"), b, txh = e.TxHash });
                c.Increment("datanets", "contributions", L("datanetId"));
                break;
            case "ContributionReviewed":
            {
                var status = L("status");
                await c.ExecuteAsync("UPDATE contributions SET status = @s, approval_seq = @seq WHERE id = @id",
                    new { id = L("contributionId"), s = status, seq = status == 2 ? Sequence(b, e.LogIndex) : (long?)null });
                await c.ExecuteAsync("INSERT INTO reviews (block_number, log_index, contribution_id, datanet_id, status, reviewer) VALUES (@b, @li, @id, @d, @s, @r)",
                    new { b, li = e.LogIndex, id = L("contributionId"), d = L("datanetId"), s = status, r = S("reviewer") });
                if (status == 2)
                    c.Increment("datanets", "approved", L("datanetId"));
                break;
            }
            case "VersionPublished":
                await c.ExecuteAsync("INSERT INTO versions (datanet_id, version, root, count, block_number) VALUES (@d, @v, @root, @n, @b)",
                    new { d = L("datanetId"), v = L("version"), root = S("root"), n = L("count"), b });
                await c.ExecuteAsync("UPDATE datanets SET versions = @v WHERE id = @d", new { d = L("datanetId"), v = L("version") });
                break;
            case "ModelRegistered":
                await c.ExecuteAsync("""
                    INSERT INTO models (id, owner, kind, base_model, metadata_uri, price_per_1k, active, versions, block_number)
                    VALUES (@id, @o, @k, @base, @uri, @p, 1, 0, @b)
                    """, new { id = L("modelId"), o = S("owner"), k = L("kind"), @base = S("baseModel"), uri = S("metadataURI"), p = S("pricePer1kTokens"), b });
                break;
            case "ModelVersionAdded":
            {
                var refs = a.GetProperty("trainedOn").EnumerateArray()
                    .Select(r => new { datanetId = r[0].GetString(), version = r[1].GetString(), root = r[2].GetString() }).ToArray();
                await c.ExecuteAsync("""
                    INSERT INTO model_versions (model_id, version, adapter_hash, training_config_hash, trained_on, block_number)
                    VALUES (@id, @v, @ah, @th, @refs, @b)
                    """, new { id = L("modelId"), v = L("version"), ah = S("adapterHash"), th = S("trainingConfigHash"), refs = JsonSerializer.Serialize(refs), b });
                await c.ExecuteAsync("UPDATE models SET versions = @v WHERE id = @id", new { id = L("modelId"), v = L("version") });
                break;
            }
            case "ModelPriceSet":
                await c.ExecuteAsync("UPDATE models SET price_per_1k = @p WHERE id = @id", new { id = L("modelId"), p = S("pricePer1kTokens") });
                break;
            case "ModelDeactivated":
                await c.ExecuteAsync("UPDATE models SET active = 0 WHERE id = @id", new { id = L("modelId") });
                break;
            case "ModelOwnershipTransferred":
                await c.ExecuteAsync("UPDATE models SET owner = @o WHERE id = @id", new { id = L("modelId"), o = S("newOwner") });
                break;
            case "FeesDeposited":
                await c.ExecuteAsync("""
                    INSERT INTO epochs (epoch, fees, claimed) VALUES (@ep, @fees, '0')
                    ON CONFLICT (epoch) DO UPDATE SET fees = excluded.fees
                    """, new { ep = L("epoch"), fees = S("epochFees") });
                break;
            case "RootPosted":
                await c.ExecuteAsync("""
                    INSERT INTO epochs (epoch, fees, root, total, distributable, claimed, posted_block) VALUES (@ep, '0', @root, @total, @dist, '0', @b)
                    ON CONFLICT (epoch) DO UPDATE SET root = excluded.root, total = excluded.total, distributable = excluded.distributable, posted_block = excluded.posted_block
                    """, new { ep = L("epoch"), root = S("root"), total = S("total"), dist = S("distributable"), b });
                break;
            case "RootReplaced":
                await c.ExecuteAsync("UPDATE epochs SET root = @root, total = @total, posted_block = @b WHERE epoch = @ep",
                    new { ep = L("epoch"), root = S("newRoot"), total = S("newTotal"), b });
                break;
            case "Claimed":
            {
                var ep = L("epoch");
                await c.ExecuteAsync("INSERT INTO claims (epoch, account, amount, block_number) VALUES (@ep, @acc, @amt, @b)",
                    new { ep, acc = S("account"), amt = S("amount"), b });
                var claimed = await c.ScalarAsync<string?>("SELECT claimed FROM epochs WHERE epoch = @ep", new { ep });
                var sum = BigInteger.Parse(claimed ?? "0", CultureInfo.InvariantCulture) + BigInteger.Parse(S("amount"), CultureInfo.InvariantCulture);
                await c.ExecuteAsync("UPDATE epochs SET claimed = @s WHERE epoch = @ep", new { ep, s = sum.ToString(CultureInfo.InvariantCulture) });
                break;
            }
            // FeesWithdrawn, LimitsSet, ProtocolShareReleased: kept in chain_events only.
        }
    }

    /// <summary>Clears the query tables and replays every stored event in chain order.</summary>
    public static async Task RebuildAsync(SqlBatch c)
    {
        foreach (var t in Tables) await c.ExecuteAsync($"DELETE FROM {t}");
        var events = (await c.QueryAsync<ChainEvent>(
            "SELECT block_number AS BlockNumber, log_index AS LogIndex, block_hash AS BlockHash, tx_hash AS TxHash, name AS Name, args AS Args FROM chain_events ORDER BY block_number, log_index")).ToList();
        foreach (var e in events) await ApplyAsync(c, e);
        await c.FlushAsync();
    }
}
