using System.Globalization;
using System.Text.Json;

namespace OpenLedger.Serving.Api;

/// <summary>A /v1/completions or /v1/chat/completions request after validation.</summary>
public sealed record CompletionRequest
{
    public required bool Chat { get; init; }
    public required string Model { get; init; }
    /// <summary>The prompt text (chat: after <see cref="ChatTemplate"/>), or null when <see cref="PromptTokens"/> is given.</summary>
    public string? Prompt { get; init; }
    public int[]? PromptTokens { get; init; }
    public int? MaxTokens { get; init; }
    public float Temperature { get; init; } = 1f;
    public float TopP { get; init; } = 1f;
    public ulong? Seed { get; init; }
    public string[] Stop { get; init; } = [];
    public bool Stream { get; init; }
    public bool IncludeUsage { get; init; }
}

/// <summary>
/// Strict parsing of OpenAI's request bodies: every field is type-checked and range-checked with OpenAI's error shape
/// (the field goes in `param`); fields we do not implement are refused by name instead of silently ignored.
/// </summary>
public static class CompletionRequestParser
{
    private static readonly HashSet<string> Common = ["model", "max_tokens", "temperature", "top_p", "n", "stream", "stream_options", "stop", "seed", "user",
        "presence_penalty", "frequency_penalty", "logit_bias", "logprobs"];
    private static readonly HashSet<string> CompletionOnly = ["prompt", "echo", "best_of", "suffix"];
    private static readonly HashSet<string> ChatOnly = ["messages", "max_completion_tokens", "top_logprobs", "response_format", "tools", "tool_choice", "parallel_tool_calls"];

    public static CompletionRequest Parse(JsonElement root, bool chat)
    {
        if (root.ValueKind != JsonValueKind.Object) throw ServingException.Invalid("The request body must be a JSON object.");
        foreach (var p in root.EnumerateObject())
            if (!Common.Contains(p.Name) && !(chat ? ChatOnly : CompletionOnly).Contains(p.Name))
                throw ServingException.Invalid($"Unrecognized request argument supplied: {p.Name}", p.Name);

        string model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String && m.GetString()!.Length > 0
            ? m.GetString()! : throw ServingException.Invalid("you must provide a model parameter", "model");

        string? prompt = null; int[]? tokens = null;
        if (chat) prompt = ChatTemplate.Render(Messages(root));
        else (prompt, tokens) = Prompt(root);

        int? maxTokens = OptInt(root, "max_tokens", 1);
        if (chat && OptInt(root, "max_completion_tokens", 1) is { } mct)
        {
            if (maxTokens != null && maxTokens != mct) throw ServingException.Invalid("max_tokens and max_completion_tokens disagree; send one", "max_completion_tokens");
            maxTokens = mct;
        }
        float temperature = OptFloat(root, "temperature", 0, 2) ?? 1f;
        float topP = OptFloat(root, "top_p", 0, 1) ?? 1f;
        if (topP == 0) throw ServingException.Invalid("0 is less than the minimum of 1e-9 - 'top_p'", "top_p");
        if (OptInt(root, "n", 1) is > 1) throw ServingException.Invalid("n > 1 is not supported by this server", "n");
        foreach (var pen in new[] { "presence_penalty", "frequency_penalty" })
            if (OptFloat(root, pen, -2, 2) is { } v && v != 0) throw ServingException.Invalid($"{pen} other than 0 is not supported by this server", pen);
        if (root.TryGetProperty("logit_bias", out var lb) && lb.ValueKind != JsonValueKind.Null && !(lb.ValueKind == JsonValueKind.Object && !lb.EnumerateObject().Any()))
            throw ServingException.Invalid("logit_bias is not supported by this server", "logit_bias");
        if (root.TryGetProperty("logprobs", out var lp) && lp.ValueKind is not (JsonValueKind.Null or JsonValueKind.False))
            throw ServingException.Invalid("logprobs are not supported by this server", "logprobs");
        if (!chat)
        {
            if (root.TryGetProperty("echo", out var echo) && echo.ValueKind is not (JsonValueKind.Null or JsonValueKind.False)) throw ServingException.Invalid("echo is not supported by this server", "echo");
            if (OptInt(root, "best_of", 1) is > 1) throw ServingException.Invalid("best_of > 1 is not supported by this server", "best_of");
            if (root.TryGetProperty("suffix", out var sfx) && sfx.ValueKind != JsonValueKind.Null) throw ServingException.Invalid("suffix is not supported by this server", "suffix");
        }
        else
        {
            foreach (var f in new[] { "tools", "tool_choice", "parallel_tool_calls", "top_logprobs" })
                if (root.TryGetProperty(f, out var x) && x.ValueKind != JsonValueKind.Null) throw ServingException.Invalid($"{f} is not supported by this server", f);
            if (root.TryGetProperty("response_format", out var rf) && rf.ValueKind != JsonValueKind.Null
                && !(rf.ValueKind == JsonValueKind.Object && rf.TryGetProperty("type", out var rt) && rt.ValueKind == JsonValueKind.String && rt.GetString() == "text"))
                throw ServingException.Invalid("response_format other than {\"type\": \"text\"} is not supported by this server", "response_format");
        }
        if (root.TryGetProperty("user", out var user) && user.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            throw ServingException.Invalid($"{Describe(user)} is not of type 'string' - 'user'", "user");

        bool stream = OptBool(root, "stream") ?? false;
        bool includeUsage = false;
        if (root.TryGetProperty("stream_options", out var so) && so.ValueKind != JsonValueKind.Null)
        {
            if (!stream) throw ServingException.Invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
            if (so.ValueKind != JsonValueKind.Object) throw ServingException.Invalid($"{Describe(so)} is not of type 'object' - 'stream_options'", "stream_options");
            foreach (var p in so.EnumerateObject())
                if (p.Name != "include_usage") throw ServingException.Invalid($"Unrecognized request argument supplied: stream_options.{p.Name}", "stream_options");
            includeUsage = OptBool(so, "include_usage", "stream_options.include_usage") ?? false;
        }

        ulong? seed = null;
        if (root.TryGetProperty("seed", out var s) && s.ValueKind != JsonValueKind.Null)
        {
            if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt64(out long sv)) throw ServingException.Invalid($"{Describe(s)} is not of type 'integer' - 'seed'", "seed");
            seed = unchecked((ulong)sv);
        }
        return new CompletionRequest
        {
            Chat = chat, Model = model, Prompt = prompt, PromptTokens = tokens, MaxTokens = maxTokens, Temperature = temperature, TopP = topP,
            Seed = seed, Stop = Stop(root), Stream = stream, IncludeUsage = includeUsage,
        };
    }

    private static List<ChatMessage> Messages(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var msgs)) throw ServingException.Invalid("Missing required parameter: 'messages'.", "messages");
        if (msgs.ValueKind != JsonValueKind.Array) throw ServingException.Invalid($"{Describe(msgs)} is not of type 'array' - 'messages'", "messages");
        if (msgs.GetArrayLength() == 0) throw ServingException.Invalid("[] is too short - 'messages'", "messages");
        var list = new List<ChatMessage>();
        int i = 0;
        foreach (var msg in msgs.EnumerateArray())
        {
            string where = $"messages[{i}]";
            if (msg.ValueKind != JsonValueKind.Object) throw ServingException.Invalid($"{Describe(msg)} is not of type 'object' - '{where}'", where);
            if (!msg.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
                throw ServingException.Invalid($"Missing required parameter: '{where}.role'.", $"{where}.role");
            string r = role.GetString()! == "developer" ? "system" : role.GetString()!;
            if (r is not ("system" or "user" or "assistant"))
                throw ServingException.Invalid($"Invalid value: '{role.GetString()}'. Supported values are: 'system', 'developer', 'user' and 'assistant'.", $"{where}.role");
            foreach (var p in msg.EnumerateObject())
                if (p.Name is not ("role" or "content" or "name")) throw ServingException.Invalid($"Unrecognized request argument supplied: {where}.{p.Name}", $"{where}.{p.Name}");
            if (!msg.TryGetProperty("content", out var content)) throw ServingException.Invalid($"Missing required parameter: '{where}.content'.", $"{where}.content");
            list.Add(new ChatMessage(r, Content(content, $"{where}.content")));
            i++;
        }
        return list;
    }

    /// <summary>A string, or OpenAI's array of content parts of which only {"type":"text","text":...} is supported here.</summary>
    private static string Content(JsonElement c, string where)
    {
        if (c.ValueKind == JsonValueKind.String) return c.GetString()!;
        if (c.ValueKind != JsonValueKind.Array) throw ServingException.Invalid($"{Describe(c)} is not of type 'string' or 'array' - '{where}'", where);
        var sb = new System.Text.StringBuilder();
        int i = 0;
        foreach (var part in c.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
                throw ServingException.Invalid($"Missing required parameter: '{where}[{i}].type'.", $"{where}[{i}].type");
            if (t.GetString() != "text") throw ServingException.Invalid($"content parts of type '{t.GetString()}' are not supported by this server (text only)", $"{where}[{i}].type");
            if (!part.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                throw ServingException.Invalid($"Missing required parameter: '{where}[{i}].text'.", $"{where}[{i}].text");
            sb.Append(text.GetString());
            i++;
        }
        return sb.ToString();
    }

    /// <summary>A string, a one-element array of strings, or an array of token ids (OpenAI's forms; batches of prompts are refused).</summary>
    private static (string?, int[]?) Prompt(JsonElement root)
    {
        if (!root.TryGetProperty("prompt", out var p) || p.ValueKind == JsonValueKind.Null) throw ServingException.Invalid("Missing required parameter: 'prompt'.", "prompt");
        if (p.ValueKind == JsonValueKind.String) return (p.GetString(), null);
        if (p.ValueKind != JsonValueKind.Array) throw ServingException.Invalid($"{Describe(p)} is not valid under any of the given schemas - 'prompt'", "prompt");
        var items = p.EnumerateArray().ToList();
        if (items.Count == 0) throw ServingException.Invalid("[] is too short - 'prompt'", "prompt");
        if (items.All(x => x.ValueKind == JsonValueKind.Number))
        {
            var ids = new int[items.Count];
            for (int i = 0; i < ids.Length; i++)
                if (!items[i].TryGetInt32(out ids[i]) || ids[i] < 0) throw ServingException.Invalid($"prompt[{i}] is not a token id (a non-negative integer)", "prompt");
            return (null, ids);
        }
        if (items.Count == 1 && items[0].ValueKind == JsonValueKind.String) return (items[0].GetString(), null);
        if (items.All(x => x.ValueKind == JsonValueKind.String)) throw ServingException.Invalid("batches of prompts are not supported by this server; send one prompt per request", "prompt");
        throw ServingException.Invalid("prompt must be a string, an array with one string, or an array of token ids", "prompt");
    }

    private static string[] Stop(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var s) || s.ValueKind == JsonValueKind.Null) return [];
        if (s.ValueKind == JsonValueKind.String) return s.GetString()!.Length == 0 ? [] : [s.GetString()!];
        if (s.ValueKind != JsonValueKind.Array) throw ServingException.Invalid($"{Describe(s)} is not valid under any of the given schemas - 'stop'", "stop");
        var list = new List<string>();
        foreach (var x in s.EnumerateArray())
        {
            if (x.ValueKind != JsonValueKind.String) throw ServingException.Invalid($"{Describe(x)} is not of type 'string' - 'stop'", "stop");
            if (x.GetString()!.Length > 0) list.Add(x.GetString()!);
        }
        if (list.Count > 4) throw ServingException.Invalid($"[{string.Join(", ", list.Select(x => "'" + x + "'"))}] is too long - 'stop' (at most 4 sequences)", "stop");
        return list.ToArray();
    }

    private static int? OptInt(JsonElement o, string name, int min)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long x)) throw ServingException.Invalid($"{Describe(v)} is not of type 'integer' - '{name}'", name);
        if (x < min) throw ServingException.Invalid($"{x} is less than the minimum of {min} - '{name}'", name);
        return x > int.MaxValue ? int.MaxValue : (int)x;
    }

    private static float? OptFloat(JsonElement o, string name, double min, double max)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number) throw ServingException.Invalid($"{Describe(v)} is not of type 'number' - '{name}'", name);
        double x = v.GetDouble();
        if (x < min) throw ServingException.Invalid($"{x.ToString(CultureInfo.InvariantCulture)} is less than the minimum of {min.ToString(CultureInfo.InvariantCulture)} - '{name}'", name);
        if (x > max) throw ServingException.Invalid($"{x.ToString(CultureInfo.InvariantCulture)} is greater than the maximum of {max.ToString(CultureInfo.InvariantCulture)} - '{name}'", name);
        return (float)x;
    }

    private static bool? OptBool(JsonElement o, string name, string? param = null)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true, JsonValueKind.False => false,
            _ => throw ServingException.Invalid($"{Describe(v)} is not of type 'boolean' - '{param ?? name}'", param ?? name),
        };
    }

    private static string Describe(JsonElement v)
    {
        string raw = v.GetRawText();
        return raw.Length > 40 ? raw[..40] + "…" : raw;
    }
}
