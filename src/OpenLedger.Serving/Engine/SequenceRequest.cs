using System.Threading.Channels;
using OpenLedger.AI.Generation;
using OpenLedger.AI.Lora;

namespace OpenLedger.Serving.Engine;

/// <summary>What the engine needs to run one sequence.</summary>
/// <param name="Adapter">the adapter's weights, or null for the base model</param>
/// <param name="AdapterOrder">sort key grouping rows of one adapter into one segment (any stable number per adapter)</param>
public sealed record SequenceRequest(int[] PromptTokens, SamplingOptions Sampling, LoraAdapter? Adapter, long AdapterOrder);

/// <summary>
/// A submitted sequence: its tokens arrive on <see cref="Tokens"/> as they are sampled (EOS is not emitted), and
/// <see cref="Finished"/> completes with "stop" (EOS), "length" (max tokens), "cancelled", or faults on an engine error.
/// </summary>
public sealed class SequenceHandle
{
    private static long _ids;
    internal readonly Channel<int> Channel = System.Threading.Channels.Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    internal readonly TaskCompletionSource<string> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _cancelled;

    internal SequenceHandle(SequenceRequest request)
    {
        Request = request;
        Sampler = new Sampler(request.Sampling);
    }

    public long Id { get; } = Interlocked.Increment(ref _ids);
    public SequenceRequest Request { get; }
    public ChannelReader<int> Tokens => Channel.Reader;
    public Task<string> Finished => Done.Task;

    /// <summary>Asks the engine to drop this sequence at the next step (client gone, stop sequence seen).</summary>
    public void Cancel() => Interlocked.Exchange(ref _cancelled, 1);
    public bool IsCancelled => Volatile.Read(ref _cancelled) != 0;

    /// <summary>The EOS token that ended the sequence (finish "stop"), or null.</summary>
    public int? EndToken { get; internal set; }

    // scheduler-thread state
    internal readonly Sampler Sampler;
    /// <summary>Its KV cache once admitted (emptied, not dropped, when the sequence is preempted).</summary>
    internal PagedKv? Kv;
    /// <summary>Tokens sampled so far (emitted on <see cref="Tokens"/>); the last one is the next to feed.</summary>
    internal readonly List<int> Output = [];
    /// <summary>Positions in the cache: the prompt's first <c>Fed</c> tokens, then the outputs before the last.</summary>
    internal int Fed => Kv?.Length ?? 0;
    internal bool Prefilling => Fed < Request.PromptTokens.Length;
    /// <summary>Times it was preempted (its blocks taken for older sequences and its cache recomputed later).</summary>
    public int Preemptions { get; internal set; }

    internal void Finish(string reason)
    {
        Channel.Writer.TryComplete();
        Done.TrySetResult(reason);
    }

    internal void Fail(Exception e)
    {
        Channel.Writer.TryComplete(e);
        Done.TrySetException(e);
    }
}
