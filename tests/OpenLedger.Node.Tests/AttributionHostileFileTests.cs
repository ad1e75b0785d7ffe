using System.Buffers.Binary;
using OpenLedger.Attribution.Spans;
using OpenLedger.Node.Cli;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Tests;

/// <summary>
/// Issue 21: attribution inputs that used to crash the CLI, and files whose checksum is valid but whose structure
/// would make two verifiers disagree. Each is refused with one `error:` line naming what is wrong.
/// </summary>
[Collection("Console")]
public sealed class AttributionHostileFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ol-attr-h-" + Guid.NewGuid().ToString("N"));
    private static readonly string Model = "0x" + new string('1', 64);

    public AttributionHostileFileTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "corpus"));
        File.WriteAllText(Path.Combine(_dir, "corpus", "1.txt"), "The quick brown fox jumps over the lazy dog while the farmer watches from the old wooden barn near the river.");
        File.WriteAllText(Path.Combine(_dir, "corpus", "2.txt"), "Attribution rewards flow back to the data contributors whose examples shaped the answer of the fine tuned model today.");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private static void AssertError(string reason, (int Code, string Out, string Err) r)
    {
        Assert.NotEqual(0, r.Code);
        Assert.StartsWith("error:", r.Err);
        Assert.DoesNotContain("   at ", r.Err); // no stack trace
        Assert.Contains(reason, r.Err);
    }

    private string SpanIndex()
    {
        var path = Path.Combine(_dir, "idx.bin");
        var r = Run("attribution", "index", "--kind", "spans", "--corpus", Path.Combine(_dir, "corpus"), "--out", path);
        Assert.True(r.Code == 0, r.Err);
        return path;
    }

    private string SketchStore(int dim = 64)
    {
        var jsonl = Path.Combine(_dir, "grads.jsonl");
        var rnd = new Random(5);
        File.WriteAllLines(jsonl, Enumerable.Range(1, 4).Select(id =>
            $"{{\"id\":{id},\"gradient\":[{string.Join(",", Enumerable.Range(0, dim).Select(_ => (rnd.NextDouble() - 0.5).ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]}}"));
        var path = Path.Combine(_dir, "store.bin");
        var r = Run("attribution", "index", "--kind", "sketches", "--corpus", jsonl, "--out", path, "--k", "32", "--model-id", Model);
        Assert.True(r.Code == 0, r.Err);
        return path;
    }

    private string Gradient(string content)
    {
        var path = Path.Combine(_dir, "g-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Recomputes a file's checksum the way its writer does: keccak256(body ‖ header with the checksum zeroed).</summary>
    private static void Reseal(string path, int checksumOffset)
    {
        var bytes = File.ReadAllBytes(path);
        bytes.AsSpan(checksumOffset, 32).Clear();
        var h = Keccak256.Compute([.. bytes.AsSpan(128), .. bytes.AsSpan(0, 128)]);
        h.WriteTo(bytes.AsSpan(checksumOffset));
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void InputsThatCrashedTheCli_AreErrors()
    {
        var records = Gradient("[]");
        var accounts = Gradient("""{"contributors":{},"modelOwners":{},"stakersPool":"0x00000000000000000000000000000000000000aa"}""");
        AssertError("--split", Run("attribution", "epoch", "--records", records, "--accounts", accounts, "--split", "2147483647,2147483647,2,0"));
        var index = SpanIndex();
        AssertError("--tokens", Run("attribution", "query", "--index", index, "--model-id", Model, "--tokens", "99999999999"));
        var store = SketchStore();
        AssertError("--top", Run("attribution", "query", "--store", store, "--gradient", Gradient("[1,2]"), "--top", "2147483647"));
        AssertError("gradient entry 0 is null", Run("attribution", "query", "--store", store, "--gradient", Gradient("[null, 1, 2]")));
    }

    [Fact]
    public void SuffixIndex_WithRewrittenStartsTable_IsRejectedDespiteAValidChecksum()
    {
        var path = SpanIndex();
        long starts;
        using (var index = SuffixIndex.Open(path)) starts = 128 + index.Length * 6 + 2;
        var bytes = File.ReadAllBytes(path);
        int second = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan((int)starts + 4));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan((int)starts + 4), second + 5);
        File.WriteAllBytes(path, bytes);
        Reseal(path, 32);
        AssertError("starts table", Run("attribution", "query", "--index", path, "--model-id", Model, "--text", "rewards flow back to the data contributors whose examples shaped"));
    }

    [Fact]
    public void SketchStore_WithMinus128_IsRejectedDespiteAValidChecksum()
    {
        var path = SketchStore();
        var bytes = File.ReadAllBytes(path);
        bytes[128 + 3] = 0x80; // row 0, entry 3 = -128
        File.WriteAllBytes(path, bytes);
        Reseal(path, 72);
        AssertError("-128", Run("attribution", "query", "--store", path, "--gradient", Gradient("[" + string.Join(",", Enumerable.Repeat("0.5", 64)) + "]")));
    }

    [Fact]
    public void GradientOfAnotherDimension_IsRejected()
    {
        var store = SketchStore(dim: 64);
        AssertError("65 values", Run("attribution", "query", "--store", store, "--gradient", Gradient("[" + string.Join(",", Enumerable.Repeat("0.5", 65)) + "]")));
        var ok = Run("attribution", "query", "--store", store, "--gradient", Gradient("[" + string.Join(",", Enumerable.Repeat("0.5", 64)) + "]"));
        Assert.True(ok.Code == 0, ok.Err);
    }
}
