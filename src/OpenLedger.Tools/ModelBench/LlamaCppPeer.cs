using System.Diagnostics;
using LLama;
using LLama.Common;
using LLama.Native;
using OpenLedger.AI.Generation;

namespace OpenLedger.Tools.ModelBench;

/// <summary>
/// llama.cpp through LLamaSharp (CPU backend) on a GGUF our writer produced: the peer `bench model` times our decode
/// against. Greedy decoding of token ids (no tokenizer in the loop), one sequence or several in one llama_batch.
/// </summary>
public sealed class LlamaCppPeer : IDisposable
{
    private readonly LLamaWeights _weights;
    private readonly LLamaContext _ctx;

    private LlamaCppPeer(LLamaWeights w, LLamaContext c) { _weights = w; _ctx = c; }

    private static readonly System.Text.StringBuilder Log = new();

    /// <summary>llama.cpp's system info (the CPU features its loaded build uses).</summary>
    public static string SystemInfo => System.Runtime.InteropServices.Marshal.PtrToStringUTF8(NativeApi.llama_print_system_info())?.Trim() ?? "";

    public static LlamaCppPeer Load(string gguf, int contextSize, int sequences, int threads)
    {
        // llama.cpp logs every tensor it loads; keep it, show errors only
        NativeLogConfig.llama_log_set((level, message) =>
        {
            lock (Log) Log.Append(message);
            if (level == LLamaLogLevel.Error) Console.Error.Write(message);
        });
        var p = new ModelParams(gguf)
        {
            ContextSize = (uint)contextSize, GpuLayerCount = 0, BatchSize = (uint)contextSize, UBatchSize = (uint)contextSize,
            SeqMax = (uint)sequences, Threads = threads, BatchThreads = threads,
        };
        var w = LLamaWeights.LoadFromFile(p);
        return new LlamaCppPeer(w, w.CreateContext(p));
    }

    /// <summary>Greedy continuation of each prompt, the sequences decoded together (one batch per step); tokens/s of the decode steps.</summary>
    public (int[][] Tokens, double TokensPerSecond) Greedy(int[][] prompts, int newTokens)
    {
        _ctx.NativeHandle.MemoryClear();
        int n = prompts.Length;
        var batch = new LLamaBatch();
        var logitIndex = new int[n];
        for (int s = 0; s < n; s++)
            for (int i = 0; i < prompts[s].Length; i++)
            {
                bool last = i == prompts[s].Length - 1;
                if (last) logitIndex[s] = batch.TokenCount;
                batch.Add(prompts[s][i], i, (LLamaSeqId)s, last);
            }
        var outputs = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        var sw = Stopwatch.StartNew();
        for (int step = 0; step <= newTokens; step++)
        {
            var r = _ctx.Decode(batch);
            if (r != DecodeResult.Ok) throw new InvalidOperationException($"llama_decode failed: {r}");
            if (step == 0) sw.Restart(); // time the decode steps, not the prompt
            if (step == newTokens) break;
            var next = new int[n];
            for (int s = 0; s < n; s++) next[s] = Sampler.ArgMax(_ctx.NativeHandle.GetLogitsIth(logitIndex[s]));
            batch.Clear();
            for (int s = 0; s < n; s++)
            {
                outputs[s].Add(next[s]);
                logitIndex[s] = batch.TokenCount;
                batch.Add(next[s], prompts[s].Length + step, (LLamaSeqId)s, true);
            }
        }
        return (outputs.Select(o => o.ToArray()).ToArray(), (double)n * newTokens / sw.Elapsed.TotalSeconds);
    }

    public void Dispose()
    {
        _ctx.Dispose();
        _weights.Dispose();
    }
}
