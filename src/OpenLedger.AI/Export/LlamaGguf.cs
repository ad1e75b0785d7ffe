using OpenLedger.AI.Model;
using OpenLedger.AI.Tokenization;

namespace OpenLedger.AI.Export;

/// <summary>
/// A Llama-architecture model as llama.cpp reads it: llama.cpp's tensor names (token_embd, blk.N.attn_q, …, output_norm,
/// output; output omitted when the embeddings are tied, as llama.cpp then reuses token_embd), the llama.* hyperparameter
/// keys, and the tokenizer as tokenizer.ggml.* (model "gpt2", pre-tokenizer "gpt-2"). Q and K rows are permuted per
/// head from Hugging Face's rotate_half pairing (i, i + d/2) to llama.cpp's adjacent pairs (2i, 2i + 1), the
/// permutation Hugging Face's own Llama conversion undoes. Matrices are F32 or F16; norms stay F32.
/// </summary>
public static class LlamaGguf
{
    // llama_token_type
    private const int Normal = 1, Control = 3, Unused = 5;

    public static void Write(string path, LlamaWeights weights, HfTokenizer.Definition tokenizer, string name, GgmlType type)
    {
        var c = weights.Config;
        if (c.RopeScaling is { Type: not "linear" } s)
            throw new NotSupportedException($"GGUF export: rope_scaling '{s.Type}' is not written yet (none and linear are)");
        if (tokenizer.Pattern != HfTokenizer.Gpt2Pattern)
            throw new NotSupportedException("GGUF export: the tokenizer's pre-tokenizer regex is not GPT-2's; only GPT-2's byte-level BPE is written (llama.cpp pre-tokenizer \"gpt-2\")");
        var w = new GgufWriter();
        w.Add("general.architecture", "llama");
        w.Add("general.name", name);
        w.Add("general.file_type", type == GgmlType.F32 ? 0u : 1u); // LLAMA_FTYPE_ALL_F32 / MOSTLY_F16
        w.Add("llama.vocab_size", (uint)c.VocabSize);
        w.Add("llama.context_length", (uint)c.MaxPositions);
        w.Add("llama.embedding_length", (uint)c.HiddenSize);
        w.Add("llama.block_count", (uint)c.NumLayers);
        w.Add("llama.feed_forward_length", (uint)c.IntermediateSize);
        w.Add("llama.attention.head_count", (uint)c.NumHeads);
        w.Add("llama.attention.head_count_kv", (uint)c.NumKvHeads);
        w.Add("llama.attention.key_length", (uint)c.HeadDim);
        w.Add("llama.attention.value_length", (uint)c.HeadDim);
        w.Add("llama.rope.dimension_count", (uint)c.HeadDim);
        w.Add("llama.rope.freq_base", (float)c.RopeTheta);
        w.Add("llama.attention.layer_norm_rms_epsilon", c.RmsNormEps);
        if (c.RopeScaling is { } rs)
        {
            w.Add("llama.rope.scaling.type", "linear");
            w.Add("llama.rope.scaling.factor", (float)rs.Factor);
        }
        AddTokenizer(w, tokenizer, c);

        w.AddTensor("token_embd.weight", weights.Embed.Shape, weights.Embed.Data, type);
        for (int l = 0; l < c.NumLayers; l++)
        {
            var L = weights.Layers[l];
            string b = $"blk.{l}.";
            w.AddTensor(b + "attn_norm.weight", L.AttnNorm.Shape, L.AttnNorm.Data, GgmlType.F32);
            w.AddTensor(b + "attn_q.weight", L.Q.Shape, RopePairsAdjacent(L.Q.Data, c.NumHeads, c.HeadDim, c.HiddenSize), type);
            w.AddTensor(b + "attn_k.weight", L.K.Shape, RopePairsAdjacent(L.K.Data, c.NumKvHeads, c.HeadDim, c.HiddenSize), type);
            w.AddTensor(b + "attn_v.weight", L.V.Shape, L.V.Data, type);
            w.AddTensor(b + "attn_output.weight", L.O.Shape, L.O.Data, type);
            w.AddTensor(b + "ffn_norm.weight", L.MlpNorm.Shape, L.MlpNorm.Data, GgmlType.F32);
            w.AddTensor(b + "ffn_gate.weight", L.Gate.Shape, L.Gate.Data, type);
            w.AddTensor(b + "ffn_up.weight", L.Up.Shape, L.Up.Data, type);
            w.AddTensor(b + "ffn_down.weight", L.Down.Shape, L.Down.Data, type);
        }
        w.AddTensor("output_norm.weight", weights.FinalNorm.Shape, weights.FinalNorm.Data, GgmlType.F32);
        if (!c.TieWordEmbeddings) w.AddTensor("output.weight", weights.LmHead.Shape, weights.LmHead.Data, type);
        w.Save(path);
    }

    /// <summary>Rows of a [heads·d, cols] projection reordered per head: row (i, half j) → 2i + j.</summary>
    public static float[] RopePairsAdjacent(float[] w, int heads, int headDim, int cols)
    {
        if (headDim % 2 != 0) throw new NotSupportedException($"GGUF export: head_dim {headDim} is odd");
        int half = headDim / 2;
        var o = new float[w.Length];
        for (int h = 0; h < heads; h++)
            for (int j = 0; j < 2; j++)
                for (int i = 0; i < half; i++)
                    Array.Copy(w, (long)(h * headDim + j * half + i) * cols, o, (long)(h * headDim + 2 * i + j) * cols, cols);
        return o;
    }

    private static void AddTokenizer(GgufWriter w, HfTokenizer.Definition t, LlamaConfig c)
    {
        var tokens = new string[c.VocabSize];
        var types = new int[c.VocabSize];
        foreach (var (s, id) in t.Vocab) Place(s, id, Normal);
        foreach (var (s, id) in t.Specials) Place(s, id, Control);
        for (int i = 0; i < tokens.Length; i++)
            if (tokens[i] == null) { tokens[i] = $"[PAD{i}]"; types[i] = Unused; }
        w.Add("tokenizer.ggml.model", "gpt2");
        w.Add("tokenizer.ggml.pre", "gpt-2");
        w.Add("tokenizer.ggml.tokens", tokens);
        w.Add("tokenizer.ggml.token_type", types);
        w.Add("tokenizer.ggml.merges", t.Merges);
        if (c.BosTokenId is { } bos) w.Add("tokenizer.ggml.bos_token_id", (uint)bos);
        if (c.EosTokenIds.Length > 0) w.Add("tokenizer.ggml.eos_token_id", (uint)c.EosTokenIds[0]);
        w.Add("tokenizer.ggml.add_bos_token", false); // our prompts carry no BOS (GPT-2's convention)

        void Place(string s, int id, int type)
        {
            if ((uint)id >= (uint)tokens.Length) throw new InvalidDataException($"tokenizer.json: token '{s}' has id {id}, outside the model's vocab_size {c.VocabSize}");
            tokens[id] = s; types[id] = type;
        }
    }
}
