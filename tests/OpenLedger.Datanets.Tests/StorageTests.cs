using Dapper;
using OpenLedger.Datanets.Content;
using OpenLedger.Datanets.Storage;
using OpenLedger.Primitives;

namespace OpenLedger.Datanets.Tests;

/// <summary>Migrations, --db parsing, the content store's checks and type sniffing, without a chain.</summary>
public sealed class StorageTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ol-dnstore-" + Guid.NewGuid().ToString("N"));

    public StorageTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task Migrations_ApplyOnce_AndRefuseANewerSchema(string db)
    {
        var (database, _) = await TestDatabases.CreateAsync(db, _dir);
        Assert.Equal(Migrations.All[^1].Version, await Migrations.ApplyAsync(database));
        Assert.Equal(Migrations.All[^1].Version, await Migrations.ApplyAsync(database)); // second start: nothing to do
        await using (var c = await database.OpenAsync())
        {
            Assert.Equal(Migrations.All.Count, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
            await c.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)");
        }
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrations.ApplyAsync(database));
        Assert.Contains("newer than this build", e.Message);
    }

    [Fact]
    public void DbOption_AcceptsSqliteAndPostgresUrls_RefusesOthers()
    {
        Assert.Equal(SqlDialect.Sqlite, Database.FromOption(null, _dir).Dialect);
        var pg = Database.FromOption("postgres://u:secret@db.example:6543/idx?sslmode=disable", _dir);
        Assert.Equal(SqlDialect.Postgres, pg.Dialect);
        Assert.Equal("postgres://u@db.example:6543/idx", pg.Description);
        Assert.Contains("no database", Assert.Throws<ArgumentException>(() => Database.FromOption("postgres://u@host:5432/", _dir)).Message);
        var bad = Assert.Throws<ArgumentException>(() => Database.FromOption("mysql://u:secret@host/db", _dir));
        Assert.DoesNotContain("secret", bad.Message);
        Assert.Contains("unknown PostgreSQL option", Assert.Throws<ArgumentException>(() => Database.FromOption("postgres://u@h/d?bogus=1", _dir)).Message);
    }

    [Fact]
    public async Task Store_ChecksWhileStreaming_AndKeepsOneCopyOfEqualBytes()
    {
        var store = new ContentStore(Path.Combine(_dir, "content"));
        var body = "some text\n"u8.ToArray();
        var hash = Keccak256.Compute(body);
        var (temp, content) = await store.ReceiveAsync(new MemoryStream(body), body.Length, hash, ContentKind.Text, default);
        Assert.True(store.Commit(temp, hash));
        Assert.Equal("some text\n", content.Text);
        var (temp2, _) = await store.ReceiveAsync(new MemoryStream(body), body.Length, hash, ContentKind.Text, default);
        Assert.False(store.Commit(temp2, hash)); // already there: the copy is dropped
        Assert.Single(Directory.EnumerateFiles(store.Root, "*", SearchOption.AllDirectories));
        Assert.Equal(body, await File.ReadAllBytesAsync(store.PathOf(hash)));

        var longer = await Assert.ThrowsAsync<ApiException>(() => store.ReceiveAsync(new MemoryStream(new byte[20]), 10, hash, ContentKind.Text, default));
        Assert.Equal(413, longer.Status);
        var shorter = await Assert.ThrowsAsync<ApiException>(() => store.ReceiveAsync(new MemoryStream(new byte[5]), 10, hash, ContentKind.Text, default));
        Assert.Equal(400, shorter.Status);
        Assert.Single(Directory.EnumerateFiles(store.Root, "*", SearchOption.AllDirectories)); // no temporaries left behind
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, ContentKind.Image, "image/png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, ContentKind.Image, "image/jpeg")]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a' }, ContentKind.Image, "image/gif")]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'A', (byte)'V', (byte)'E' }, ContentKind.Audio, "audio/wav")]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B', (byte)'P' }, ContentKind.Image, "image/webp")]
    [InlineData(new byte[] { (byte)'f', (byte)'L', (byte)'a', (byte)'C' }, ContentKind.Audio, "audio/flac")]
    [InlineData(new byte[] { (byte)'I', (byte)'D', (byte)'3', 4 }, ContentKind.Audio, "audio/mpeg")]
    public void Sniffer_KnowsFormatsByTheirBytes(byte[] head, ContentKind kind, string mediaType) =>
        Assert.Equal((kind, mediaType), ContentSniffer.Sniff(head));

    [Fact]
    public void Utf8Validator_FindsBadSequencesAcrossChunks_AndNul()
    {
        var v = new Utf8Validator();
        var euro = "€"u8.ToArray(); // three bytes split over two chunks
        v.Update(euro.AsSpan(0, 1));
        v.Update(euro.AsSpan(1), final: true);
        Assert.True(v.IsText);
        var cut = new Utf8Validator();
        cut.Update(euro.AsSpan(0, 2), final: true);
        Assert.False(cut.IsText);
        var nul = new Utf8Validator();
        nul.Update("a\0b"u8, final: true);
        Assert.False(nul.IsText);
    }

    [Fact]
    public void SearchWords_AreQuotedForFts5()
    {
        Assert.Equal("\"lazy\" \"dog\"", Api.DatanetEndpoints.FtsQuery("lazy dog"));
        Assert.Equal("\"DROP\" \"TABLE\" \"x\" \"OR\"", Api.DatanetEndpoints.FtsQuery("\"); DROP TABLE x; -- OR *"));
        Assert.Equal(400, Assert.Throws<ApiException>(() => Api.DatanetEndpoints.FtsQuery("*** ---")).Status);
    }
}
