using System.CommandLine;
using System.Text.Json.Nodes;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Attribution.Spans;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Cli;

/// <summary>
/// `openledger attribution index`: a suffix-array span index from text contributions (a directory of
/// &lt;id&gt;.txt files, or JSONL lines {"id":…, "text":…}), or a sketch store from per-contribution gradients
/// (JSONL lines {"id":…, "gradient":[…]}), projected with the seeded projection and quantized.
/// </summary>
public static class AttributionIndexCommand
{
    public static Command Create()
    {
        var kind = new Option<string>("--kind") { Description = "spans (suffix-array index of text) or sketches (gradient sketch store).", DefaultValueFactory = _ => "spans" };
        var corpus = new Option<string?>("--corpus") { Description = "A directory of <id>.txt files, or a JSONL file." };
        var output = new Option<string?>("--out") { Description = "The index or store file to write." };
        var k = new Option<int>("--k") { Description = "Sketch dimension (multiple of 32).", DefaultValueFactory = _ => 1024 };
        var seed = new Option<ulong>("--seed") { Description = "Projection seed.", DefaultValueFactory = _ => 1UL };
        var model = new Option<string?>("--model-id") { Description = "Model id (32-byte hex) recorded in a sketch store." };
        var normalize = new Option<bool>("--no-normalize") { Description = "Keep gradient norms (raw TracIn) instead of unit-normalizing sketches." };
        var cmd = new Command("index", "Build a suffix-array span index or a gradient sketch store from a corpus.") { kind, corpus, output, k, seed, model, normalize };
        cmd.SetAction(parse => AttributionCommand.Guard(() =>
        {
            string corpusPath = AttributionCommand.Require(parse.GetValue(corpus), "--corpus");
            string outPath = AttributionCommand.Require(parse.GetValue(output), "--out");
            if (!File.Exists(corpusPath) && !Directory.Exists(corpusPath)) throw new CliException($"{corpusPath} does not exist", CliApp.Failure);
            switch (parse.GetValue(kind))
            {
                case "spans": return BuildSpans(corpusPath, outPath);
                case "sketches":
                    int kv = parse.GetValue(k);
                    if (kv <= 0 || kv % 32 != 0) throw new CliException($"--k must be a positive multiple of 32, got {kv}", CliApp.UsageError);
                    var modelText = AttributionCommand.Require(parse.GetValue(model), "--model-id");
                    if (!Hash256.TryParse(modelText, out var modelId)) throw new CliException($"--model-id must be 32 bytes of hex, got '{modelText}'", CliApp.UsageError);
                    return BuildSketches(corpusPath, outPath, kv, parse.GetValue(seed), modelId, !parse.GetValue(normalize));
                default:
                    throw new CliException($"--kind must be spans or sketches, got '{parse.GetValue(kind)}'", CliApp.UsageError);
            }
        }));
        return cmd;
    }

    private static IEnumerable<(ulong Id, JsonObject Line)> ReadJsonl(string path)
    {
        int n = 0;
        foreach (var line in File.ReadLines(path))
        {
            n++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var o = JsonNode.Parse(line)?.AsObject() ?? throw new FormatException($"{path}:{n}: not a JSON object");
            var id = o["id"]?.GetValue<ulong>() ?? throw new FormatException($"{path}:{n}: missing \"id\"");
            yield return (id, o);
        }
    }

    private static int BuildSpans(string corpusPath, string outPath)
    {
        var tokenizer = new CorpusTokenizer();
        var contributions = new List<TokenizedContribution>();
        if (Directory.Exists(corpusPath))
        {
            foreach (var file in Directory.EnumerateFiles(corpusPath, "*.txt").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (!ulong.TryParse(name, out var id)) throw new FormatException($"{file}: file names must be contribution ids (<id>.txt)");
                contributions.Add(new TokenizedContribution(id, tokenizer.Encode(File.ReadAllText(file))));
            }
        }
        else
        {
            foreach (var (id, o) in ReadJsonl(corpusPath))
                contributions.Add(new TokenizedContribution(id, tokenizer.Encode(o["text"]?.GetValue<string>() ?? throw new FormatException($"contribution {id}: missing \"text\""))));
        }
        if (contributions.Count == 0) throw new InvalidDataException($"{corpusPath} holds no contributions");
        using var index = SuffixIndexBuilder.Build(contributions, tokenizer.VocabularySize);
        index.Save(outPath);
        Console.Out.WriteLine(new JsonObject
        {
            ["kind"] = "spans", ["tokenizer"] = tokenizer.Name, ["contributions"] = contributions.Count,
            ["tokens"] = contributions.Sum(c => (long)c.Tokens.Length), ["bytes"] = new FileInfo(outPath).Length,
            ["checksum"] = index.Header.Checksum.ToString(), ["out"] = outPath,
        }.ToJsonString());
        return CliApp.Ok;
    }

    private static int BuildSketches(string corpusPath, string outPath, int k, ulong seed, Hash256 modelId, bool normalize)
    {
        if (Directory.Exists(corpusPath)) throw new CliException("--kind sketches reads a JSONL file of {\"id\", \"gradient\"} lines", CliApp.UsageError);
        GradientSketcher? sketcher = null;
        SketchStoreHeader header;
        using (var writer = new SketchStoreWriter(outPath, k, seed, modelId))
        {
            foreach (var (id, o) in ReadJsonl(corpusPath))
            {
                var g = (o["gradient"] as JsonArray ?? throw new FormatException($"contribution {id}: missing \"gradient\" array"))
                    .Select((x, i) => x is JsonValue v && v.TryGetValue(out double d) && double.IsFinite(d) ? d : throw new FormatException($"contribution {id}: gradient entry {i} is not a finite number")).ToArray();
                if (sketcher == null)
                {
                    sketcher = new GradientSketcher(g.Length, k, seed, normalize);
                    writer.GradientDimension = g.Length;
                }
                else if (g.Length != writer.GradientDimension)
                    throw new FormatException($"contribution {id}: gradient has {g.Length} values, the first one had {writer.GradientDimension}");
                if (g.Length != sketcher.Projection.InputDimension)
                    throw new FormatException($"contribution {id}: gradient has {g.Length} entries, the first had {sketcher.Projection.InputDimension}");
                writer.Append(id, sketcher.Sketch(g));
            }
            header = writer.Complete();
        }
        Console.Out.WriteLine(new JsonObject
        {
            ["kind"] = "sketches", ["k"] = k, ["seed"] = seed, ["count"] = header.Count, ["normalized"] = normalize,
            ["checksum"] = header.Checksum.ToString(), ["out"] = outPath,
        }.ToJsonString());
        return CliApp.Ok;
    }
}
