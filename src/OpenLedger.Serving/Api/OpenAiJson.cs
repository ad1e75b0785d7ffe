using System.Text.Json.Nodes;
using OpenLedger.Serving.Payments;

namespace OpenLedger.Serving.Api;

/// <summary>OpenAI's response objects, plus the `openledger` extension field with the fee and attribution.</summary>
public static class OpenAiJson
{
    public static JsonObject Error(ServingException e) => new()
    {
        ["error"] = new JsonObject { ["message"] = e.Message, ["type"] = e.Type, ["param"] = e.Param, ["code"] = e.Code },
    };

    public static JsonObject Usage(InferenceUsage u) => new()
    {
        ["prompt_tokens"] = u.PromptTokens, ["completion_tokens"] = u.CompletionTokens, ["total_tokens"] = u.TotalTokens,
    };

    /// <summary>
    /// `openledger`: inference_id (the record's inference id), adapter_hash, registry_id, price_per_1k_tokens and fee
    /// (decimal wei strings), record_hash and contributions [{contribution_id, bps}] when the answer has an attribution
    /// record (null/[] otherwise), charge_reference from the payments layer.
    /// </summary>
    public static JsonObject Extension(CompletionResult r) => new()
    {
        ["inference_id"] = r.InferenceId.ToString(),
        ["adapter_hash"] = r.Adapter?.AdapterHash.ToString(),
        ["registry_id"] = r.Adapter?.RegistryId,
        ["price_per_1k_tokens"] = r.PricePer1kTokens.ToString(),
        ["fee"] = r.Usage.Fee.ToString(),
        ["record_hash"] = r.Record?.Hash().ToString(),
        ["contributions"] = new JsonArray((r.Record?.Shares ?? []).Select(s => (JsonNode)new JsonObject
        {
            ["contribution_id"] = s.ContributionId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["bps"] = s.BasisPoints,
        }).ToArray()),
        ["charge_reference"] = r.Receipt.Reference,
    };

    public static JsonObject Completion(CompletionResult r) => new()
    {
        ["id"] = r.RequestId, ["object"] = "text_completion", ["created"] = r.Created, ["model"] = r.Model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["text"] = r.Text, ["logprobs"] = null, ["finish_reason"] = r.FinishReason }),
        ["usage"] = Usage(r.Usage),
        ["openledger"] = Extension(r),
    };

    public static JsonObject ChatCompletion(CompletionResult r) => new()
    {
        ["id"] = r.RequestId, ["object"] = "chat.completion", ["created"] = r.Created, ["model"] = r.Model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = r.Text, ["refusal"] = null },
            ["logprobs"] = null, ["finish_reason"] = r.FinishReason,
        }),
        ["usage"] = Usage(r.Usage),
        ["openledger"] = Extension(r),
    };

    /// <summary>A streaming chunk: text (completions) or delta (chat); finish_reason on the last one.</summary>
    public static JsonObject Chunk(bool chat, string id, long created, string model, string? text, bool first, string? finish)
    {
        var choice = new JsonObject { ["index"] = 0 };
        if (chat)
        {
            var delta = new JsonObject();
            if (first) delta["role"] = "assistant";
            if (text != null) delta["content"] = text;
            choice["delta"] = delta;
        }
        else choice["text"] = text ?? "";
        choice["logprobs"] = null;
        choice["finish_reason"] = finish;
        return new JsonObject
        {
            ["id"] = id, ["object"] = chat ? "chat.completion.chunk" : "text_completion", ["created"] = created, ["model"] = model,
            ["choices"] = new JsonArray(choice),
        };
    }
}
