namespace OpenLedger.Serving.Engine;

/// <summary>
/// How a prompt is cut into prefill chunks. Chunks of the configured size, except that a tail of at most
/// <see cref="RowGemm.Chunk"/> tokens joins the chunk before it: Gemm runs M ≤ 8 rows on its dot-product path and
/// larger M on the packed kernel, whose per-element sums do not depend on M, so as long as every chunk of a prompt
/// longer than 8 tokens has more than 8 rows, the chunks compute the keys, values and logits the one-shot prefill of
/// <c>LlamaModel</c> computes, bit for bit (tested against <c>Generator</c>). The cut depends only on the prompt
/// length and the chunk size, so a preempted sequence recomputes the same chunks.
/// </summary>
public static class PrefillChunks
{
    /// <summary>Tokens of the chunk that starts after <paramref name="done"/> of <paramref name="promptLength"/> prompt tokens.</summary>
    public static int Next(int promptLength, int done, int chunk)
    {
        int left = promptLength - done;
        if (left <= 0) throw new ArgumentOutOfRangeException(nameof(done), $"{done} of {promptLength} prompt tokens are already prefilled");
        if (left <= chunk) return left;
        return left - chunk <= RowGemm.Chunk ? left : chunk;
    }
}
