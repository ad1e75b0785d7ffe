using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OpenLedger.Datanets.Storage;

public enum SqlDialect
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where the service's index lives: an SQLite file under the data directory (default) or a PostgreSQL database given as
/// <c>postgres://user:password@host:port/database</c>. Both run the same schema (<see cref="Migrations"/>) and the same SQL,
/// except where a dialect needs its own (full-text search).
/// </summary>
public sealed class Database
{
    private readonly string _connectionString;

    private Database(SqlDialect dialect, string connectionString, string description)
    {
        Dialect = dialect;
        _connectionString = connectionString;
        Description = description;
    }

    public SqlDialect Dialect { get; }

    /// <summary>Where the data is, without the password.</summary>
    public string Description { get; }

    /// <summary>SQLite file at <paramref name="path"/> (created with its directory when missing).</summary>
    public static Database Sqlite(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var cs = new SqliteConnectionStringBuilder { DataSource = full, Pooling = true, DefaultTimeout = 30 }.ToString();
        return new Database(SqlDialect.Sqlite, cs, "sqlite:" + full);
    }

    /// <summary>
    /// Parses <c>--db</c>: null or empty = SQLite at <c>{dataDir}/datanets.db</c>; <c>postgres://</c> or <c>postgresql://</c> URL =
    /// PostgreSQL; <c>sqlite:PATH</c> = SQLite at PATH. Anything else is refused with the reason.
    /// </summary>
    public static Database FromOption(string? db, string dataDir)
    {
        if (string.IsNullOrWhiteSpace(db)) return Sqlite(Path.Combine(dataDir, "datanets.db"));
        if (db.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            var path = db["sqlite:".Length..];
            if (path.Length == 0) throw new ArgumentException("--db sqlite: needs a file path, e.g. sqlite:/var/lib/openledger/datanets.db");
            return Sqlite(path);
        }
        if (db.StartsWith("postgres://", StringComparison.Ordinal) || db.StartsWith("postgresql://", StringComparison.Ordinal))
            return Postgres(db);
        throw new ArgumentException($"--db: expected postgres://user:password@host:port/database or sqlite:PATH, got \"{Redact(db)}\"");
    }

    /// <summary>PostgreSQL from a URL: userinfo, host, optional port (5432), database path, query keys passed to Npgsql (e.g. sslmode).</summary>
    public static Database Postgres(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new ArgumentException($"--db: not a valid URL: \"{Redact(url)}\"");
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0) throw new ArgumentException("--db: the PostgreSQL URL names no database (postgres://user@host:port/DATABASE)");
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = database,
            Pooling = true,
            MaxPoolSize = 32,
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            b.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) b.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            try
            {
                b[key] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--db: unknown PostgreSQL option \"{key}\": {e.Message}");
            }
        }
        return new Database(SqlDialect.Postgres, b.ConnectionString, $"postgres://{b.Username}@{b.Host}:{b.Port}/{b.Database}");
    }

    /// <summary>An open connection (SQLite: WAL, a busy timeout so writers wait instead of failing).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        DbConnection c = Dialect == SqlDialect.Sqlite ? new SqliteConnection(_connectionString) : new NpgsqlConnection(_connectionString);
        try
        {
            await c.OpenAsync(ct);
            if (Dialect == SqlDialect.Sqlite)
            {
                await using var cmd = c.CreateCommand();
                cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL;";
                await cmd.ExecuteNonQueryAsync(ct);
            }
            return c;
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }
    }

    private static string Redact(string s)
    {
        var at = s.IndexOf('@');
        var scheme = s.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 && at > scheme ? s[..(scheme + 3)] + "***" + s[at..] : s;
    }
}
