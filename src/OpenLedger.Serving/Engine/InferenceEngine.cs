using Microsoft.Extensions.Logging;

namespace OpenLedger.Serving.Engine;

/// <summary>
/// Continuous batching on one scheduler thread. Each iteration:
/// <list type="number">
/// <item>Prefill, within a budget of <see cref="EngineOptions.PrefillChunk"/> prompt tokens: the next chunk of sequences
/// already prefilling (oldest first), then new sequences admitted FIFO while the batch has room and the pool has the
/// blocks for their first chunk (the head of the queue waits; later requests do not overtake it). A long prompt thus
/// takes several iterations and delays the others' next token by one chunk at a time.</item>
/// <item>One decode step for every sequence whose prompt is in the cache: one base GEMM per projection for all rows,
/// LoRA products gathered per adapter segment (rows ordered by adapter). Blocks are taken as positions are needed.</item>
/// </list>
/// When a sequence needs a block and none is free, the most recently admitted sequence newer than it is preempted (its
/// blocks go back to the pool, it returns to the front of the queue); if there is none, the sequence itself waits
/// (prefill) or is preempted (decode). The oldest sequence therefore always progresses. A preempted sequence is
/// recomputed: its prompt in the same chunks, then the tokens it had generated fed again as rows of a decode step
/// (several rows of one sequence, each with a one-row step's arithmetic, no new sampling), so its cache and its next
/// token are what they would have been: greedy outputs stay those of <c>Generator</c>.
/// Finished and cancelled sequences leave after the step and give their blocks back. A failing step fails the
/// sequences in it; the thread keeps serving.
/// </summary>
public sealed class InferenceEngine : IDisposable
{
    private readonly BatchDecoder _decoder;
    private readonly EngineOptions _options;
    private readonly ILogger? _log;
    private readonly LinkedList<SequenceHandle> _waiting = new();
    private readonly List<SequenceHandle> _running = new(); // admitted, by admission: prefilling or decoding
    private readonly object _lock = new();
    private readonly Thread _thread;
    private volatile bool _stopping;
    private readonly int[] _eos;

    public long Steps { get; private set; }
    public long TokensGenerated { get; private set; }
    public long PrefillChunksRun { get; private set; }
    public long Preemptions { get; private set; }

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
            lock (_lock)
            {
                while (!_stopping && _waiting.Count == 0 && _running.Count == 0) Monitor.Wait(_lock);
                if (_stopping) break;
                for (var node = _waiting.First; node != null;)
                {
                    var next = node.Next;
                    if (node.Value.IsCancelled) { _waiting.Remove(node); node.Value.Kv?.Release(); node.Value.Finish("cancelled"); }
                    node = next;
                }
                foreach (var s in _running.Where(s => s.IsCancelled).ToList()) { _running.Remove(s); s.Kv!.Release(); s.Finish("cancelled"); }
            }
            PrefillStep();
            DecodeStep();
        }
        lock (_lock)
        {
            foreach (var s in _waiting.Concat(_running)) s.Fail(new ObjectDisposedException("the inference engine stopped"));
            _waiting.Clear(); _running.Clear();
        }
    }

    /// <summary>Prefill chunks within the token budget: sequences already prefilling first, then admissions.</summary>
    private void PrefillStep()
    {
        int budget = _options.PrefillChunk;
        foreach (var s in Snapshot().Where(s => s.Prefilling))
        {
            if (budget <= 0) return;
            if (!IsRunning(s)) continue; // preempted by an older sequence's chunk in this loop
            if (!Chunk(s, ref budget)) return;
        }
        while (budget > 0)
        {
            SequenceHandle s;
            lock (_lock)
            {
                if (_running.Count >= _options.MaxBatch || _waiting.First is not { } head) return;
                s = head.Value;
                s.Kv ??= new PagedKv(Pool);
                if (!s.Kv.TryGrow(PrefillChunks.Next(s.Request.PromptTokens.Length, 0, _options.PrefillChunk))) return; // the head waits for blocks
                _waiting.RemoveFirst();
                _running.Add(s);
                _running.Sort((a, b) => a.Id.CompareTo(b.Id));
            }
            if (!Chunk(s, ref budget)) return;
        }
    }

    /// <summary>Runs the sequence's next prompt chunk; false when the pool cannot give it the blocks (it waits).</summary>
    private bool Chunk(SequenceHandle s, ref int budget)
    {
        var prompt = s.Request.PromptTokens;
        int done = s.Fed, c = PrefillChunks.Next(prompt.Length, done, _options.PrefillChunk);
        if (!Reserve(s, done + c, preemptSelf: false)) return false;
        bool last = done + c == prompt.Length;
        try
        {
            var logits = _decoder.Prefill(prompt.AsSpan(done, c), s.Kv!, s.Request.Adapter, logits: last && s.Output.Count == 0);
            PrefillChunksRun++;
            budget -= c;
            if (logits != null && !Accept(s, logits)) Retire(s);
        }
        catch (Exception e)
        {
            _log?.LogError(e, "prefill of sequence {Id} failed", s.Id);
            Retire(s, e);
        }
        return true;
    }

    private void DecodeStep()
    {
        // positions each sequence feeds this step: its outputs not yet in the cache (1, or all of them after a recompute)
        var batch = new List<SequenceHandle>();
        foreach (var s in Snapshot().Where(s => !s.Prefilling))
        {
            if (!IsRunning(s)) continue;
            if (Reserve(s, s.Request.PromptTokens.Length + s.Output.Count, preemptSelf: true)) batch.Add(s);
        }
        batch.RemoveAll(s => !IsRunning(s));
        if (batch.Count == 0) return;
        // rows ordered by adapter: each adapter's rows form one segment for the gathered LoRA product
        batch.Sort((a, b) => a.Request.AdapterOrder != b.Request.AdapterOrder ? a.Request.AdapterOrder.CompareTo(b.Request.AdapterOrder) : a.Id.CompareTo(b.Id));
        var tokens = new List<int>(); var kvs = new List<PagedKv>(); var want = new List<bool>(); var adapters = new List<AI.Lora.LoraAdapter?>();
        foreach (var s in batch)
        {
            int p = s.Request.PromptTokens.Length;
            for (int i = s.Fed - p; i < s.Output.Count; i++)
            {
                tokens.Add(s.Output[i]); kvs.Add(s.Kv!); want.Add(i == s.Output.Count - 1); adapters.Add(s.Request.Adapter);
            }
        }
        float[] logits;
        try { logits = _decoder.Decode(tokens.ToArray(), kvs.ToArray(), LoraSegments.Build(adapters), want.ToArray()); }
        catch (Exception e)
        {
            _log?.LogError(e, "decode step over {Count} sequences failed", batch.Count);
            foreach (var s in batch) Retire(s, e);
            return;
        }
        Steps++;
        int vocab = _decoder.Config.VocabSize;
        for (int b = 0; b < batch.Count; b++)
            if (!Accept(batch[b], logits.AsSpan(b * vocab, vocab))) Retire(batch[b]);
    }

    /// <summary>
    /// Grows <paramref name="s"/>'s cache to <paramref name="positions"/>, preempting the newest sequences admitted
    /// after it while the pool is short. With none left: false, and with <paramref name="preemptSelf"/> the sequence
    /// itself is preempted (it is then the newest holder, and older ones keep their blocks).
    /// </summary>
    private bool Reserve(SequenceHandle s, int positions, bool preemptSelf)
    {
        while (!s.Kv!.TryGrow(positions))
        {
            SequenceHandle? victim;
            lock (_lock) victim = _running.LastOrDefault(r => r.Id > s.Id && r.Kv!.Blocks.Count > 0);
            if (victim == null)
            {
                if (preemptSelf) Preempt(s);
                return false;
            }
            Preempt(victim);
        }
        return true;
    }

    /// <summary>Blocks back to the pool; the sequence goes back to the queue, ahead of every later submission.</summary>
    private void Preempt(SequenceHandle s)
    {
        s.Kv!.Release();
        s.Preemptions++;
        Preemptions++;
        _log?.LogDebug("preempted sequence {Id} after {Tokens} tokens: the KV pool is full", s.Id, s.Output.Count);
        lock (_lock)
        {
            _running.Remove(s);
            var node = _waiting.First;
            while (node != null && node.Value.Id < s.Id) node = node.Next;
            if (node == null) _waiting.AddLast(s); else _waiting.AddBefore(node, s);
        }
    }

    /// <summary>Samples the next token (same rule as Generator); false when the sequence is done.</summary>
    private bool Accept(SequenceHandle s, ReadOnlySpan<float> logits)
    {
        int next = s.Sampler.Next(logits);
        if (Array.IndexOf(_eos, next) >= 0) { s.EndToken = next; s.Finish("stop"); return false; }
        s.Channel.Writer.TryWrite(next);
        s.Output.Add(next); TokensGenerated++;
        if (s.Output.Count >= s.Request.Sampling.MaxNewTokens) { s.Finish("length"); return false; }
        return true;
    }

    private List<SequenceHandle> Snapshot() { lock (_lock) return _running.ToList(); }
    private bool IsRunning(SequenceHandle s) { lock (_lock) return _running.Contains(s); }

    private void Retire(SequenceHandle s, Exception? error = null)
    {
        lock (_lock) _running.Remove(s);
        s.Kv?.Release();
        if (error != null) s.Fail(error);
    }

    public void Dispose()
    {
        lock (_lock) { _stopping = true; Monitor.PulseAll(_lock); }
        _thread.Join();
    }
}
