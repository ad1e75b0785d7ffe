using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;
using OpenLedger.AI.Export;
using OpenLedger.AI.Factory;
using OpenLedger.AI.Generation;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;

namespace OpenLedger.AI.Tests;

/// <summary>Our GGUF writer read back byte by byte, and loaded by llama.cpp (LLamaSharp 0.30, CPU backend): same tokens, same logits, same greedy output.</summary>
public class GgufExportTests
{
    [Fact]
    public void Header_metadata_and_tensor_infos_follow_the_spec()
    {
        string dir = TinyModels.TempDir(), model = Path.Combine(dir, "base"), file = Path.Combine(dir, "m.gguf");
        var c = ModelFactory.InitBaseModel(model, new BaseModelShape(Hidden: 32, Layers: 2, Heads: 4, KvHeads: 2, Intermediate: 48, MaxPositions: 64), seed: 3);
        ModelFactory.ExportGguf(model, null, file, GgmlType.F16);
        var g = GgufTestReader.Read(file);
        Assert.Equal(3u, g.Version);
        Assert.Equal("llama", g.Kv["general.architecture"]);
        Assert.Equal(32u, g.Kv["general.alignment"]);
        Assert.Equal(1u, g.Kv["general.file_type"]);
        Assert.Equal((uint)c.NumLayers, g.Kv["llama.block_count"]);
        Assert.Equal(2u, g.Kv["llama.attention.head_count_kv"]);
        Assert.Equal("gpt2", g.Kv["tokenizer.ggml.model"]);
        var tokens = (object[])g.Kv["tokenizer.ggml.tokens"];
        Assert.Equal(c.VocabSize, tokens.Length);
        Assert.Equal("<|endoftext|>", tokens[50256]);
        Assert.Equal("Ġthe", tokens[262]);
        Assert.Equal(3, ((object[])g.Kv["tokenizer.ggml.token_type"])[50256]);
        Assert.Equal("Ġ t", ((object[])g.Kv["tokenizer.ggml.merges"])[0]);
        // tied embeddings: no output.weight; 9 tensors per layer + token_embd + output_norm
        Assert.Equal(2 + 9 * c.NumLayers, g.Tensors.Count);
        Assert.DoesNotContain(g.Tensors, t => t.Name == "output.weight");
        var q = g.Tensors.Single(t => t.Name == "blk.1.attn_q.weight");
        Assert.Equal([32L, 32L], q.Dims);
        Assert.Equal(1u, q.Type);
        var norm = g.Tensors.Single(t => t.Name == "blk.0.attn_norm.weight");
        Assert.Equal(0u, norm.Type); // norms stay F32
        Assert.All(g.Tensors, t => Assert.Equal(0, t.Offset % 32));
        Assert.Equal(0, g.DataStart % 32);
        // the embedding is the first tensor: its bytes are the F16 of our weights
        var w = LlamaWeights.Load(model, c);
        var embd = g.Tensors.Single(t => t.Name == "token_embd.weight");
        Assert.Equal([32L, (long)c.VocabSize], embd.Dims);
        using var fs = File.OpenRead(file);
        fs.Position = g.DataStart + embd.Offset;
        var buf = new byte[8];
        fs.ReadExactly(buf);
        for (int i = 0; i < 4; i++) Assert.Equal((Half)w.Embed.Data[i], BitConverter.ToHalf(buf, 2 * i));
    }

    [Fact]
    public void Rope_rows_move_from_rotate_half_pairs_to_adjacent_pairs()
    {
        // 2 heads of dim 4, 1 column: head rows (0,1 | 2,3) → (0,2,1,3)
        float[] w = [0, 1, 2, 3, 10, 11, 12, 13];
        Assert.Equal([0f, 2, 1, 3, 10, 12, 11, 13], LlamaGguf.RopePairsAdjacent(w, heads: 2, headDim: 4, cols: 1));
    }

    [Fact]
    public void Llama_cpp_loads_the_export_and_agrees_on_tokens_logits_and_greedy_output()
    {
        string dir = TinyModels.TempDir(), model = Path.Combine(dir, "base"), adapterDir = Path.Combine(dir, "adapter");
        ModelFactory.InitBaseModel(model, new BaseModelShape(Hidden: 64, Layers: 2, Heads: 4, KvHeads: 2, Intermediate: 96, MaxPositions: 128), seed: 11);
        // an adapter with non-zero B, so merging changes the weights
        var (m0, _) = ModelFactory.Load(model);
        TinyModels.RandomAdapter(m0.Weights, new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"] }, 5).Save(adapterDir);

        foreach (var adapter in new string?[] { null, adapterDir })
        {
            string file = Path.Combine(dir, adapter == null ? "base.gguf" : "merged.gguf");
            ModelFactory.ExportGguf(model, adapter, file, GgmlType.F32);
            var (ours, tok) = ModelFactory.Load(model, adapter);
            var mp = new ModelParams(file) { ContextSize = 128, GpuLayerCount = 0, BatchSize = 128, Threads = 2 };
            using var weights = LLamaWeights.LoadFromFile(mp);
            using var ctx = weights.CreateContext(mp);
            foreach (var prompt in new[] { "The capital of France is", "def fibonacci(n):\n    return", "Hello, world! 123" })
            {
                int[] ids = tok.Encode(prompt);
                Assert.Equal(ids, ctx.Tokenize(prompt, addBos: false, special: true).Select(t => (int)t).ToArray());
                var theirs = Greedy(ctx, ids, 12, out var firstLogits);
                var cache = new KvCache(ours.Config, 128);
                var ourLogits = ours.Forward(ids, cache);
                float maxDiff = 0, maxAbs = 0;
                for (int i = 0; i < ourLogits.Length; i++) { maxDiff = Math.Max(maxDiff, Math.Abs(ourLogits[i] - firstLogits[i])); maxAbs = Math.Max(maxAbs, Math.Abs(ourLogits[i])); }
                Assert.True(maxDiff <= 1e-3f * Math.Max(1f, maxAbs), $"{prompt}: logits differ by {maxDiff} (max |logit| {maxAbs})");
                var mine = new Generator(ours, tok).Generate(ids, new SamplingOptions { MaxNewTokens = 12 }).Tokens;
                Assert.Equal(mine, theirs.Take(mine.Length).ToArray());
            }
        }
    }

    /// <summary>llama.cpp's greedy continuation of the prompt ids (EOS not special-cased: the caller compares prefixes).</summary>
    private static int[] Greedy(LLamaContext ctx, int[] prompt, int n, out float[] firstLogits)
    {
        ctx.NativeHandle.MemoryClear();
        var batch = new LLamaBatch();
        for (int i = 0; i < prompt.Length; i++) batch.Add(prompt[i], i, LLamaSeqId.Zero, i == prompt.Length - 1);
        var output = new List<int>();
        firstLogits = [];
        int pos = prompt.Length;
        for (int step = 0; step < n; step++)
        {
            var r = ctx.Decode(batch);
            Assert.Equal(DecodeResult.Ok, r);
            var logits = ctx.NativeHandle.GetLogitsIth(batch.TokenCount - 1);
            if (step == 0) firstLogits = logits.ToArray();
            int next = Sampler.ArgMax(logits);
            output.Add(next);
            batch.Clear();
            batch.Add(next, pos++, LLamaSeqId.Zero, true);
        }
        return output.ToArray();
    }
}

/// <summary>A GGUF reader for the tests, written from the spec independently of the writer's code paths.</summary>
internal static class GgufTestReader
{
    public sealed record TensorInfo(string Name, long[] Dims, uint Type, long Offset);
    public sealed record File(uint Version, Dictionary<string, object> Kv, List<TensorInfo> Tensors, long DataStart);

    public static File Read(string path)
    {
        using var r = new BinaryReader(System.IO.File.OpenRead(path), Encoding.UTF8);
        Assert.Equal("GGUF"u8.ToArray(), r.ReadBytes(4));
        uint version = r.ReadUInt32();
        long nt = (long)r.ReadUInt64(), nkv = (long)r.ReadUInt64();
        var kv = new Dictionary<string, object>();
        for (long i = 0; i < nkv; i++) { string k = Str(r); kv[k] = Value(r, r.ReadUInt32()); }
        var tensors = new List<TensorInfo>();
        for (long i = 0; i < nt; i++)
        {
            string name = Str(r);
            uint nd = r.ReadUInt32();
            var dims = Enumerable.Range(0, (int)nd).Select(_ => (long)r.ReadUInt64()).ToArray();
            tensors.Add(new TensorInfo(name, dims, r.ReadUInt32(), (long)r.ReadUInt64()));
        }
        long pos = r.BaseStream.Position;
        return new File(version, kv, tensors, (pos + 31) / 32 * 32);
    }

    private static string Str(BinaryReader r) => Encoding.UTF8.GetString(r.ReadBytes((int)r.ReadUInt64()));

    private static object Value(BinaryReader r, uint type) => type switch
    {
        0 => r.ReadByte(), 1 => r.ReadSByte(), 2 => r.ReadUInt16(), 3 => r.ReadInt16(), 4 => r.ReadUInt32(), 5 => r.ReadInt32(),
        6 => r.ReadSingle(), 7 => r.ReadByte() != 0, 8 => Str(r), 10 => r.ReadUInt64(), 11 => r.ReadInt64(), 12 => r.ReadDouble(),
        9 => ReadArray(r),
        _ => throw new InvalidDataException($"unknown GGUF value type {type}"),
    };

    private static object[] ReadArray(BinaryReader r)
    {
        uint t = r.ReadUInt32();
        long n = (long)r.ReadUInt64();
        var a = new object[n];
        for (long i = 0; i < n; i++) a[i] = Value(r, t);
        return a;
    }
}
