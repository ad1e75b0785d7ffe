using Microsoft.Extensions.Logging;
using OpenLedger.AI.Lora;

namespace OpenLedger.Serving.Engine;

/// <summary>
/// Continuous batching on one scheduler thread. Between decode steps it admits waiting sequences (FIFO, as long as the
/// batch has room and the KV pool has the blocks for prompt + max tokens), prefills each, then runs one decode step for
/// every running sequence together: one base GEMM per projection for all rows, LoRA products gathered per adapter
/// segment (rows ordered by adapter). Finished and cancelled sequences leave after the step and give their blocks back.
/// A failing step fails the sequences in it; the thread keeps serving.
/// </summary>
public sealed class InferenceEngine : IDisposable
{
    private readonly BatchDecoder _decoder;
    private readonly EngineOptions _options;
    private readonly ILogger? _log;
    private readonly LinkedList<SequenceHandle> _waiting = new();
    private readonly List<SequenceHandle> _running = new();
    private readonly object _lock = new();
    private readonly Thread _thread;
    private volatile bool _stopping;
    private readonly int[] _eos;

    public long Steps { get; private set; }
    public long TokensGenerated { get; private set; }

    public InferenceEngine(BatchDecoder decoder, EngineOptions options, ILogger? log = null)
    {
        options.Validate();
        _decoder = decoder; _options = options; _log = log;
        _eos = decoder.Config.EosTokenIds;
        _thread = new Thread(Run) { IsBackground = true, Name = "openledger-serve-scheduler" };
        _thread.Start();
    }

    public KvBlockPool Pool => _decoder.Pool;
    public int VocabSize => _decoder.Config.VocabSize;
    public int Waiting { get { lock (_lock) return _waiting.Count; } }
    public int Running { get { lock (_lock) return _running.Count; } }

    /// <summary>Queues a sequence. Throws <see cref="EngineRefusedException"/> when the queue is full or it can never fit the pool.</summary>
    public SequenceHandle Submit(SequenceRequest request)
    {
        request.Sampling.Validate();
        if (request.PromptTokens.Length == 0) throw new ArgumentException("the prompt is empty");
        int blocks = Pool.BlocksFor(request.PromptTokens.Length + request.Sampling.MaxNewTokens);
        if (blocks > Pool.BlockCount)
            throw new EngineRefusedException($"the request needs {blocks} KV blocks of {Pool.BlockSize} positions; the server's pool has {Pool.BlockCount}", queueFull: false);
        var h = new SequenceHandle(request);
        lock (_lock)
        {
            if (_stopping) throw new ObjectDisposedException(nameof(InferenceEngine));
            if (_waiting.Count >= _options.MaxQueue)
                throw new EngineRefusedException($"the server's queue is full ({_options.MaxQueue} waiting requests); retry later", queueFull: true);
            _waiting.AddLast(h);
            Monitor.Pulse(_lock);
        }
        return h;
    }

    private void Run()
    {
        while (true)
        {
            var admitted = new List<SequenceHandle>();
            lock (_lock)
            {
                while (!_stopping && _waiting.Count == 0 && _running.Count == 0) Monitor.Wait(_lock);
                if (_stopping) break;
                while (_running.Count + admitted.Count < _options.MaxBatch && _waiting.First is { } node)
                {
                    var s = node.Value;
                    if (s.IsCancelled) { _waiting.RemoveFirst(); s.Finish("cancelled"); continue; }
                    var blocks = Pool.TryTake(Pool.BlocksFor(s.Request.PromptTokens.Length + s.Request.Sampling.MaxNewTokens));
                    if (blocks == null) break; // the head waits for blocks; later requests do not overtake it
                    _waiting.RemoveFirst();
                    s.Kv = new PagedKv(Pool, blocks);
                    admitted.Add(s);
                }
            }
            foreach (var s in admitted)
            {
                try
                {
                    var logits = _decoder.Prefill(s.Request.PromptTokens, s.Kv!, s.Request.Adapter);
                    if (Accept(s, logits)) Add(s); else Retire(s);
                }
                catch (Exception e)
                {
                    _log?.LogError(e, "prefill of sequence {Id} failed", s.Id);
                    Retire(s, e);
                }
            }
            List<SequenceHandle> batch;
            lock (_lock)
            {
                foreach (var s in _running.Where(s => s.IsCancelled).ToList()) { _running.Remove(s); s.Kv = ReturnBlocks(s.Kv); s.Finish("cancelled"); }
                if (_running.Count == 0) continue;
                batch = _running.ToList();
            }
            Step(batch);
        }
        lock (_lock)
        {
            foreach (var s in _waiting.Concat(_running)) s.Fail(new ObjectDisposedException("the inference engine stopped"));
            _waiting.Clear(); _running.Clear();
        }
    }

    private void Step(List<SequenceHandle> batch)
    {
        // rows ordered by adapter: each adapter's rows form one segment for the gathered LoRA product
        batch.Sort((a, b) => a.Request.AdapterOrder != b.Request.AdapterOrder ? a.Request.AdapterOrder.CompareTo(b.Request.AdapterOrder) : a.Id.CompareTo(b.Id));
        var tokens = batch.Select(s => s.Last).ToArray();
        var kvs = batch.Select(s => s.Kv!).ToArray();
        var segments = LoraSegments.Build(batch.Select(s => s.Request.Adapter).ToArray());
        float[] logits;
        try { logits = _decoder.Decode(tokens, kvs, segments); }
        catch (Exception e)
        {
            _log?.LogError(e, "decode step over {Count} sequences failed", batch.Count);
            foreach (var s in batch) { Remove(s); Retire(s, e); }
            return;
        }
        Steps++;
        int vocab = _decoder.Config.VocabSize;
        for (int b = 0; b < batch.Count; b++)
            if (!Accept(batch[b], logits.AsSpan(b * vocab, vocab))) { Remove(batch[b]); Retire(batch[b]); }
    }

    /// <summary>Samples the next token (same rule as Generator); false when the sequence is done.</summary>
    private bool Accept(SequenceHandle s, ReadOnlySpan<float> logits)
    {
        int next = s.Sampler.Next(logits);
        if (Array.IndexOf(_eos, next) >= 0) { s.EndToken = next; s.Finish("stop"); return false; }
        s.Channel.Writer.TryWrite(next);
        s.Generated++; TokensGenerated++;
        if (s.Generated >= s.Request.Sampling.MaxNewTokens) { s.Finish("length"); return false; }
        s.Last = next;
        return true;
    }

    private void Add(SequenceHandle s) { lock (_lock) _running.Add(s); }
    private void Remove(SequenceHandle s) { lock (_lock) _running.Remove(s); }

    private void Retire(SequenceHandle s, Exception? error = null)
    {
        s.Kv = ReturnBlocks(s.Kv);
        if (error != null) s.Fail(error);
    }

    private PagedKv? ReturnBlocks(PagedKv? kv)
    {
        if (kv != null) Pool.Return(kv.Blocks);
        return null;
    }

    public void Dispose()
    {
        lock (_lock) { _stopping = true; Monitor.PulseAll(_lock); }
        _thread.Join();
    }
}
