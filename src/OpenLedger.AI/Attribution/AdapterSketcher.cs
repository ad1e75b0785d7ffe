using OpenLedger.AI.Data;
using OpenLedger.AI.Model;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Primitives;

namespace OpenLedger.AI.Attribution;

/// <summary>
/// Gradient sketches of a LoRA adapter for Proof of Attribution: per contribution, the gradient of its mean token
/// loss with respect to the adapter's parameters (in the adapter's tensor order), projected with the shared
/// Rademacher matrix, unit-normalized and quantized, and written to a sketch store under the contribution id.
/// A query (prompt + generated answer) gets its sketch the same way, so scores are TracIn-style cosine similarities.
/// </summary>
public sealed class AdapterSketcher
{
    private readonly LlamaModel _model;
    private readonly DeterministicProjection _projection;
    private readonly GradientSketcher _quantizer;
    public int K { get; }
    public ulong Seed { get; }

    public AdapterSketcher(LlamaModel model, int k, ulong seed)
    {
        if (model.Adapter == null) throw new ArgumentException("sketches are taken over an adapter's parameters; the model has none");
        if (k <= 0 || k % 32 != 0) throw new ArgumentOutOfRangeException(nameof(k), $"k must be a positive multiple of 32, got {k}");
        _model = model; K = k; Seed = seed;
        int d = checked((int)model.Adapter.ParameterCount());
        _projection = new DeterministicProjection(d, k, seed);
        _quantizer = new GradientSketcher(1, k, seed); // used for its normalize + quantize step only
    }

    /// <summary>With a projection built once and shared (it is k × adapter-parameters signs; a server keeps one per shape).</summary>
    public AdapterSketcher(LlamaModel model, DeterministicProjection projection)
    {
        if (model.Adapter == null) throw new ArgumentException("sketches are taken over an adapter's parameters; the model has none");
        if (projection.InputDimension != model.Adapter.ParameterCount())
            throw new ArgumentException($"the projection takes {projection.InputDimension} parameters; the adapter has {model.Adapter.ParameterCount()}");
        _model = model; K = projection.K; Seed = projection.Seed;
        _projection = projection;
        _quantizer = new GradientSketcher(1, K, Seed);
    }

    /// <summary>The flattened adapter gradient of one example's mean token loss.</summary>
    public float[] Gradient(TokenizedExample example)
    {
        var ps = _model.Adapter!.Parameters().ToList();
        foreach (var p in ps) { p.EnsureGrad(); Array.Clear(p.Grad!); }
        _model.ForwardBackward(example.Inputs, example.Targets, 1f / Math.Max(1, example.TargetCount), trainBase: false, trainAdapter: true);
        var flat = new float[ps.Sum(p => p.Data.Length)];
        int o = 0;
        foreach (var p in ps) { p.Grad!.CopyTo(flat, o); o += p.Grad!.Length; Array.Clear(p.Grad!); }
        return flat;
    }

    /// <summary>When set, the projection runs on this ILGPU accelerator (bit-identical to the CPU's); the gradient stays on the CPU path.</summary>
    public Gpu.IlgpuCompute? Accelerator { get; set; }

    public Sketch Sketch(TokenizedExample example)
    {
        var g = Gradient(example);
        return _quantizer.Quantize(Accelerator != null ? Accelerator.Project(_projection, g) : _projection.Project(g));
    }

    /// <summary>Writes one sketch per contribution; the store's model id is the adapter's hash.</summary>
    public void WriteStore(string path, IEnumerable<TokenizedExample> examples, Hash256 modelId)
    {
        using var writer = new SketchStoreWriter(path + ".tmp", K, Seed, modelId);
        foreach (var ex in examples) writer.Append(ex.ContributionId, Sketch(ex));
        writer.Complete();
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>The query sketch of an answer: the gradient of the answer tokens' loss given the prompt.</summary>
    public Sketch QuerySketch(int[] promptTokens, int[] answerTokens) => Sketch(QueryExample(promptTokens, answerTokens));

    /// <summary>Prompt + answer as one example whose loss is taken on the answer tokens only.</summary>
    internal static TokenizedExample QueryExample(int[] promptTokens, int[] answerTokens)
    {
        if (answerTokens.Length == 0) throw new ArgumentException("the answer is empty: there is nothing to attribute");
        var ids = promptTokens.Concat(answerTokens).ToArray();
        var inputs = ids[..^1];
        var targets = new int[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) targets[i] = i + 1 >= promptTokens.Length ? ids[i + 1] : -1;
        return new TokenizedExample(0, inputs, targets);
    }
}
