using OpenLedger.Primitives;

namespace OpenLedger.Serving.Payments;

/// <summary>
/// What a request asks for, as the payments layer sees it before compute.
/// </summary>
/// <param name="Model">the `model` the request named</param>
/// <param name="RegistryModelId">the ModelRegistry id of the adapter; null for the base model</param>
/// <param name="AdapterHash">keccak256 of adapter_model.safetensors (the registered adapter hash); null for the base model</param>
/// <param name="PricePer1kTokens">price per 1,000 tokens (prompt + completion) in wei of OPEN</param>
/// <param name="PromptTokens">tokens in the prompt after the chat template</param>
/// <param name="MaxTokens">the most completion tokens the request may produce</param>
/// <param name="Account">who pays: the <see cref="PaymentHeaders.Payer"/> header when present, else the client's IP address</param>
/// <param name="Headers">the request's HTTP headers, names lower-cased (signatures travel in headers)</param>
public sealed record InferenceQuote(
    string Model,
    ulong? RegistryModelId,
    Hash256? AdapterHash,
    UInt256 PricePer1kTokens,
    int PromptTokens,
    int MaxTokens,
    string Account,
    IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The fee if the completion runs to <see cref="MaxTokens"/>: the most this request can cost.</summary>
    public UInt256 MaxFee => Pricing.Fee(PricePer1kTokens, PromptTokens + MaxTokens);
}

/// <summary>Tokens actually used and the fee they cost.</summary>
public sealed record InferenceUsage(int PromptTokens, int CompletionTokens, UInt256 Fee)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}

/// <summary>The one rule for turning tokens into a fee.</summary>
public static class Pricing
{
    /// <summary>fee = floor(price per 1k × tokens / 1000), in wei: never more than the listed price.</summary>
    public static UInt256 Fee(UInt256 pricePer1kTokens, int tokens)
    {
        if (tokens < 0) throw new ArgumentOutOfRangeException(nameof(tokens), "token count is negative");
        return pricePer1kTokens * (UInt256)(ulong)tokens / (UInt256)1000UL;
    }
}

/// <summary>Header names the server reads.</summary>
public static class PaymentHeaders
{
    /// <summary>The paying account (0x address). Rate limits count per payer; without it, per client IP.</summary>
    public const string Payer = "X-OpenLedger-Payer";
}
