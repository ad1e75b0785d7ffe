using OpenLedger.AI.Model;
using OpenLedger.AI.Tokenization;

namespace OpenLedger.AI.Generation;

public sealed record GenerationResult(string Text, int[] PromptTokens, int[] Tokens, string FinishReason);

/// <summary>Prompt → text with a KV cache: one prefill pass, then one token per step, until EOS, a stop sequence or the limit.</summary>
public sealed class Generator(LlamaModel model, HfTokenizer tokenizer)
{
    public GenerationResult Generate(string prompt, SamplingOptions options) => Generate(tokenizer.Encode(prompt), options);

    public GenerationResult Generate(int[] promptTokens, SamplingOptions options)
    {
        options.Validate();
        var c = model.Config;
        if (promptTokens.Length == 0) throw new ArgumentException("the prompt is empty");
        if (promptTokens.Length >= c.MaxPositions) throw new ArgumentException($"the prompt has {promptTokens.Length} tokens; the context holds {c.MaxPositions}");
        int capacity = Math.Min(c.MaxPositions, promptTokens.Length + options.MaxNewTokens);
        var cache = new KvCache(c, capacity);
        var sampler = new Sampler(options);
        var logits = model.Forward(promptTokens, cache);
        var output = new List<int>();
        string finish = "length";
        while (output.Count < options.MaxNewTokens)
        {
            int next = sampler.Next(logits);
            if (c.EosTokenIds.Contains(next)) { finish = "stop"; break; }
            output.Add(next);
            if (options.StopSequences.Length > 0)
            {
                string text = tokenizer.Decode(output);
                var hit = options.StopSequences.Where(s => s.Length > 0).Select(s => (s, i: text.IndexOf(s, StringComparison.Ordinal))).Where(x => x.i >= 0).OrderBy(x => x.i).FirstOrDefault();
                if (hit.s != null) return new GenerationResult(text[..hit.i], promptTokens, output.ToArray(), "stop");
            }
            if (cache.Length >= capacity) break;
            logits = model.Forward([next], cache);
        }
        return new GenerationResult(tokenizer.Decode(output), promptTokens, output.ToArray(), finish);
    }
}
