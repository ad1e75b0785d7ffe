using System.Collections.Concurrent;
using OpenLedger.AI.Attribution;
using OpenLedger.AI.Model;
using OpenLedger.Attribution.Records;
using OpenLedger.Attribution.Scoring;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Attribution.Spans;
using OpenLedger.AI.Tokenization;
using OpenLedger.Primitives;
using OpenLedger.Serving.Adapters;

namespace OpenLedger.Serving.Attribution;

/// <summary>
/// The attribution record of one answer. The sketch method, for an adapter with a sketch store: the query sketch of prompt + answer over the adapter's parameters
/// (<see cref="AdapterSketcher.QuerySketch"/>), scored against the adapter's sketch store, top <see cref="TopK"/>
/// positive scores turned into basis-point shares, and the record built with the actual fee. Every step is the
/// deterministic path ModelFactory and the Attribution project use, so a prover re-derives the same record from the
/// logged inputs. Projections (k × parameters signs) are shared between adapters of one shape.
/// The span method, for an adapter with a suffix index (spans.olsx) and no sketch store: the answer's completion tokens
/// (without the final EOS) are decoded to text with the base tokenizer, that text is tokenized with cl100k_base (the
/// index's tokenizer, <see cref="CorpusTokenizer"/>), and <see cref="SpanAttributor"/> with the default
/// <see cref="SpanOptions"/> credits the contributions whose text the answer repeats verbatim; the record carries the
/// spans. `openledger attribution query --index spans.olsx --text ANSWER` gives the same spans and shares.
/// </summary>
public sealed class InferenceAttributor(LlamaWeights baseWeights, IAttributionScorer scorer, int topK = InferenceAttributor.DefaultTopK, HfTokenizer? tokenizer = null)
{
    private static readonly Lazy<CorpusTokenizer> Corpus = new(() => new CorpusTokenizer());
    private static readonly object CorpusLock = new();

    public const int DefaultTopK = 16;
    private const int MaxProjections = 4;
    private readonly ConcurrentDictionary<(int D, int K, ulong Seed), Lazy<DeterministicProjection>> _projections = new();

    public int TopK { get; } = topK > 0 ? topK : throw new ArgumentOutOfRangeException(nameof(topK), "top-k must be positive");

    /// <summary>The record, or null when the adapter has neither a sketch store nor a span index.</summary>
    public AttributionRecord? Build(LoadedAdapter adapter, Hash256 inferenceId, int[] promptTokens, int[] answerTokens, UInt256 fee)
    {
        if (adapter.SketchStorePath == null || adapter.SketchHeader is not { } header)
            return adapter.SpanIndex is { } spans ? BuildSpans(adapter, spans, inferenceId, answerTokens, fee) : null;
        var model = new LlamaModel(baseWeights, adapter.Lora);
        var projection = Projection(checked((int)adapter.Lora.ParameterCount()), header.K, header.Seed);
        Sketch query;
        lock (adapter.SketchLock) query = new AdapterSketcher(model, projection).QuerySketch(promptTokens, answerTokens);
        using var store = SketchStore.Open(adapter.SketchStorePath, verifyChecksum: false); // verified when the adapter was loaded
        if (store.ModelId != adapter.Entry.AdapterHash) throw new InvalidDataException($"{adapter.SketchStorePath} changed since it was loaded: it now belongs to {store.ModelId}");
        var top = scorer.Score(store, [query], TopK)[0];
        var shares = SketchAttribution.Shares(top);
        return AttributionRecord.ForSketch(adapter.Entry.AdapterHash, inferenceId, query, fee, shares);
    }

    /// <summary>The text the span method matches: the completion (a final EOS dropped) in the base tokenizer's decoding.</summary>
    public string AnswerText(int[] answerTokens)
    {
        var t = tokenizer ?? throw new InvalidOperationException("span attribution needs the base model's tokenizer");
        int n = answerTokens.Length;
        while (n > 0 && Array.IndexOf(baseWeights.Config.EosTokenIds, answerTokens[n - 1]) >= 0) n--;
        return t.Decode(answerTokens.Take(n));
    }

    private AttributionRecord BuildSpans(LoadedAdapter adapter, SharedSpanIndex shared, Hash256 inferenceId, int[] answerTokens, UInt256 fee)
    {
        int[] tokens;
        lock (CorpusLock) tokens = Corpus.Value.Encode(AnswerText(answerTokens));
        var index = shared.Acquire();
        bool temporary = index == null; // evicted since: open it for this one answer
        index ??= SuffixIndex.Open(shared.Path, verifyChecksum: false);
        try
        {
            foreach (var t in tokens)
                if ((uint)t >= (uint)index.VocabularySize)
                    throw new InvalidDataException($"{shared.Path}: its vocabulary ({index.VocabularySize} tokens) is not cl100k_base's; rebuild it with `openledger attribution index --kind spans`");
            var result = new SpanAttributor(index).Attribute(tokens);
            return AttributionRecord.ForSpans(adapter.Entry.AdapterHash, inferenceId, result.Spans, fee, result.Shares);
        }
        finally
        {
            if (temporary) index.Dispose(); else shared.Release();
        }
    }

    private DeterministicProjection Projection(int d, int k, ulong seed)
    {
        if (_projections.Count >= MaxProjections && !_projections.ContainsKey((d, k, seed))) _projections.Clear();
        return _projections.GetOrAdd((d, k, seed), key => new Lazy<DeterministicProjection>(() => new DeterministicProjection(key.D, key.K, key.Seed))).Value;
    }
}
