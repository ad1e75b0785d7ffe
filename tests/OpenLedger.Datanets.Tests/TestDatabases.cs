using Npgsql;
using OpenLedger.Datanets.Storage;

namespace OpenLedger.Datanets.Tests;

/// <summary>
/// A fresh, empty database per test: an SQLite file in a temporary directory, or a new database on the PostgreSQL server
/// named by OPENLEDGER_TEST_POSTGRES (deploy/test.sh starts a throwaway one). Without that variable the PostgreSQL cases
/// fail, saying how to get a server: they are never skipped.
/// </summary>
public static class TestDatabases
{
    public static readonly TheoryData<string> Both = new() { "sqlite", "postgres" };

    /// <summary>The database and the --db value that names it.</summary>
    public static async Task<(Database Db, string Option)> CreateAsync(string kind, string dir)
    {
        if (kind == "sqlite") return (Database.Sqlite(Path.Combine(dir, "index.db")), "sqlite:" + Path.Combine(dir, "index.db"));
        var admin = Environment.GetEnvironmentVariable("OPENLEDGER_TEST_POSTGRES");
        if (string.IsNullOrEmpty(admin))
            throw new InvalidOperationException("OPENLEDGER_TEST_POSTGRES is not set: run deploy/test.sh (it starts a throwaway PostgreSQL) or point it at a server, e.g. postgres://postgres@127.0.0.1:5432/postgres");
        var name = "ol_test_" + Guid.NewGuid().ToString("N")[..16];
        var adminDb = Database.Postgres(admin);
        await using (var c = await adminDb.OpenAsync())
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"CREATE DATABASE {name}";
            await cmd.ExecuteNonQueryAsync();
        }
        var url = new UriBuilder(admin) { Path = "/" + name }.Uri.ToString();
        return (Database.Postgres(url), url);
    }
}
