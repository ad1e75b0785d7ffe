using System.Text.Json.Nodes;
using OpenLedger.Node.Cli;

namespace OpenLedger.Node.Tests;

/// <summary>`openledger attribution index | query | epoch` end to end on a tiny corpus, in-process.</summary>
[Collection("Console")]
public sealed class AttributionCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ol-attr-" + Guid.NewGuid().ToString("N"));

    public AttributionCliTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "corpus"));
        File.WriteAllText(Path.Combine(_dir, "corpus", "1.txt"), "The quick brown fox jumps over the lazy dog while the farmer watches from the old wooden barn near the river.");
        File.WriteAllText(Path.Combine(_dir, "corpus", "2.txt"), "Attribution rewards flow back to the data contributors whose examples shaped the answer of the fine tuned model today.");
        File.WriteAllText(Path.Combine(_dir, "corpus", "3.txt"), "Completely unrelated text about mountains, snow, glaciers and the long winter nights in the northern valleys.");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Index_Query_Epoch_CreditTheContributionTheOutputCopied()
    {
        var index = Path.Combine(_dir, "idx.bin");
        var (code, _, err) = Run("attribution", "index", "--kind", "spans", "--corpus", Path.Combine(_dir, "corpus"), "--out", index);
        Assert.True(code == 0, err);

        var model = "0x" + new string('1', 64);
        (code, var recordJson, err) = Run("attribution", "query", "--index", index, "--model-id", model,
            "--text", "I think that rewards flow back to the data contributors whose examples shaped the answer of the model", "--fee", "1000000");
        Assert.True(code == 0, err);
        var record = JsonNode.Parse(recordJson)!;
        var share = Assert.Single(record["shares"]!.AsArray());
        Assert.Equal(2, share!["contribution"]!.GetValue<int>());
        Assert.Equal(10_000, share["bps"]!.GetValue<int>());

        var records = Path.Combine(_dir, "records.json");
        File.WriteAllText(records, new JsonArray(record.DeepClone()).ToJsonString());
        var accounts = Path.Combine(_dir, "accounts.json");
        File.WriteAllText(accounts, $$"""
            {"contributors": {"1": "0x1000000000000000000000000000000000000001", "2": "0x2000000000000000000000000000000000000002", "3": "0x3000000000000000000000000000000000000003"},
             "modelOwners": {"{{model}}": "0x4000000000000000000000000000000000000004"},
             "stakersPool": "0x5000000000000000000000000000000000000005"}
            """);
        (code, var epochJson, err) = Run("attribution", "epoch", "--records", records, "--accounts", accounts, "--split", "7000,1500,1000,500");
        Assert.True(code == 0, err);
        var epoch = JsonNode.Parse(epochJson)!.ToJsonString();
        // Contributor 2 is paid; contributors 1 and 3 are not; a root with proofs comes out.
        Assert.Contains("0x2000000000000000000000000000000000000002", epoch, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("0x1000000000000000000000000000000000000001", epoch, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("root", epoch);
    }

    [Fact]
    public void CorruptedIndex_IsAClearError_NotAScore()
    {
        var index = Path.Combine(_dir, "idx.bin");
        Assert.Equal(0, Run("attribution", "index", "--kind", "spans", "--corpus", Path.Combine(_dir, "corpus"), "--out", index).Code);
        var bytes = File.ReadAllBytes(index);
        bytes[^5] ^= 0x40;
        File.WriteAllBytes(index, bytes);
        var (code, output, err) = Run("attribution", "query", "--index", index, "--model-id", "0x" + new string('1', 64), "--text", "rewards flow back to the data contributors whose examples shaped");
        Assert.Equal(1, code);
        Assert.StartsWith("error:", err);
        Assert.DoesNotContain("shares", output);
    }

    [Fact]
    public void MissingArguments_AreUsageErrors() =>
        Assert.Equal(2, Run("attribution", "query", "--index", Path.Combine(_dir, "none.bin")).Code);
}
