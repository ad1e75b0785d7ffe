using System.Data.Common;
using Dapper;

namespace OpenLedger.Datanets.Storage;

/// <summary>
/// The schema, as numbered migrations applied in order, each in its own transaction, recorded in <c>schema_migrations</c>.
/// Migrations are append-only: a released one is never edited, a change is a new one. Both dialects get the same tables;
/// only full-text search differs (SQLite FTS5, PostgreSQL tsvector + GIN).
/// Numbers are BIGINT; uint256 amounts are decimal TEXT; hashes and addresses are lower-case 0x hex TEXT.
/// </summary>
public static class Migrations
{
    public sealed record Migration(int Version, string Name, string Sqlite, string Postgres);

    private const string V1 = """
        CREATE TABLE indexer_state (id BIGINT PRIMARY KEY, last_block BIGINT NOT NULL, last_hash TEXT NOT NULL);
        CREATE TABLE indexed_blocks (number BIGINT PRIMARY KEY, hash TEXT NOT NULL);
        CREATE TABLE chain_events (block_number BIGINT NOT NULL, log_index BIGINT NOT NULL, block_hash TEXT NOT NULL,
            tx_hash TEXT NOT NULL, name TEXT NOT NULL, args TEXT NOT NULL, PRIMARY KEY (block_number, log_index));
        CREATE TABLE datanets (id BIGINT PRIMARY KEY, owner TEXT NOT NULL, kind BIGINT NOT NULL, name TEXT NOT NULL,
            metadata_uri TEXT NOT NULL, license TEXT NOT NULL, fee TEXT NOT NULL, max_file_bytes BIGINT NOT NULL,
            contributions BIGINT NOT NULL, approved BIGINT NOT NULL, versions BIGINT NOT NULL, created_block BIGINT NOT NULL);
        CREATE TABLE curators (datanet_id BIGINT NOT NULL, curator TEXT NOT NULL, PRIMARY KEY (datanet_id, curator));
        CREATE TABLE contributions (id BIGINT PRIMARY KEY, datanet_id BIGINT NOT NULL, contributor TEXT NOT NULL,
            content_hash TEXT NOT NULL, size BIGINT NOT NULL, metadata_uri TEXT NOT NULL, fee_paid TEXT NOT NULL,
            status BIGINT NOT NULL, approval_seq BIGINT, block_number BIGINT NOT NULL, tx_hash TEXT NOT NULL);
        CREATE INDEX contributions_datanet ON contributions (datanet_id, id);
        CREATE INDEX contributions_contributor ON contributions (contributor, id);
        CREATE INDEX contributions_hash ON contributions (content_hash);
        CREATE TABLE reviews (block_number BIGINT NOT NULL, log_index BIGINT NOT NULL, contribution_id BIGINT NOT NULL,
            datanet_id BIGINT NOT NULL, status BIGINT NOT NULL, reviewer TEXT NOT NULL, PRIMARY KEY (block_number, log_index));
        CREATE TABLE versions (datanet_id BIGINT NOT NULL, version BIGINT NOT NULL, root TEXT NOT NULL, count BIGINT NOT NULL,
            block_number BIGINT NOT NULL, PRIMARY KEY (datanet_id, version));
        CREATE TABLE models (id BIGINT PRIMARY KEY, owner TEXT NOT NULL, kind BIGINT NOT NULL, base_model TEXT NOT NULL,
            metadata_uri TEXT NOT NULL, price_per_1k TEXT NOT NULL, active BIGINT NOT NULL, versions BIGINT NOT NULL,
            block_number BIGINT NOT NULL);
        CREATE TABLE model_versions (model_id BIGINT NOT NULL, version BIGINT NOT NULL, adapter_hash TEXT NOT NULL,
            training_config_hash TEXT NOT NULL, trained_on TEXT NOT NULL, block_number BIGINT NOT NULL, PRIMARY KEY (model_id, version));
        CREATE TABLE epochs (epoch BIGINT PRIMARY KEY, fees TEXT NOT NULL, root TEXT, total TEXT, distributable TEXT,
            claimed TEXT NOT NULL, posted_block BIGINT);
        CREATE TABLE claims (epoch BIGINT NOT NULL, account TEXT NOT NULL, amount TEXT NOT NULL, block_number BIGINT NOT NULL,
            PRIMARY KEY (epoch, account));
        CREATE INDEX claims_account ON claims (account);
        CREATE TABLE uploads (datanet_id BIGINT NOT NULL, content_hash TEXT NOT NULL, uploader TEXT NOT NULL, size BIGINT NOT NULL,
            media_type TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (datanet_id, content_hash));
        CREATE INDEX uploads_hash ON uploads (content_hash);
        CREATE TABLE epoch_leaves (epoch BIGINT NOT NULL, root TEXT NOT NULL, account TEXT NOT NULL, amount TEXT NOT NULL,
            PRIMARY KEY (epoch, account));
        CREATE INDEX epoch_leaves_account ON epoch_leaves (account);
        CREATE TABLE upload_nonces (address TEXT NOT NULL, nonce TEXT NOT NULL, used_at BIGINT NOT NULL, PRIMARY KEY (address, nonce));
        """;

    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "tables", V1, V1),
        new(2, "text search",
            "CREATE VIRTUAL TABLE text_search USING fts5(content_hash UNINDEXED, body);",
            """
            CREATE TABLE text_search (content_hash TEXT PRIMARY KEY, body TEXT NOT NULL,
                tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED);
            CREATE INDEX text_search_tsv ON text_search USING GIN (tsv);
            """),
        new(3, "epoch records", V3, V3),
    ];

    /// <summary>An epoch's attribution records as the prover published them (accepted only when they reproduce the posted root).</summary>
    private const string V3 = """
        CREATE TABLE epoch_record_sets (epoch BIGINT PRIMARY KEY, root TEXT NOT NULL, split TEXT NOT NULL, accounts TEXT NOT NULL,
            records BIGINT NOT NULL, distributable TEXT NOT NULL);
        CREATE TABLE epoch_records (epoch BIGINT NOT NULL, seq BIGINT NOT NULL, record_hash TEXT NOT NULL, body TEXT NOT NULL,
            PRIMARY KEY (epoch, seq));
        """;

    /// <summary>Applies the missing migrations; returns the schema version. Refuses a database newer than this code.</summary>
    public static async Task<int> ApplyAsync(Database db, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        if (db.Dialect == SqlDialect.Postgres)
            await c.ExecuteAsync("SELECT pg_advisory_lock(7170601)"); // one migrator at a time across API replicas
        try
        {
            await c.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            var applied = (await c.QueryAsync<long>("SELECT version FROM schema_migrations")).ToHashSet();
            var newest = All[^1].Version;
            if (applied.Count > 0 && applied.Max() > newest)
                throw new InvalidOperationException($"the database {db.Description} has schema version {applied.Max()}, newer than this build's {newest}");
            foreach (var m in All)
            {
                if (applied.Contains(m.Version)) continue;
                await using var tx = await c.BeginTransactionAsync(ct);
                await c.ExecuteAsync(db.Dialect == SqlDialect.Sqlite ? m.Sqlite : m.Postgres, transaction: tx);
                await c.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)",
                    new { v = (long)m.Version, n = m.Name, t = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }, tx);
                await tx.CommitAsync(ct);
            }
            return newest;
        }
        finally
        {
            if (db.Dialect == SqlDialect.Postgres)
                await c.ExecuteAsync("SELECT pg_advisory_unlock(7170601)");
        }
    }
}
