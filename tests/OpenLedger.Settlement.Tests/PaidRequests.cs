using System.Globalization;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Serving.Payments;
using OpenLedger.Settlement.Authorization;

namespace OpenLedger.Settlement.Tests;

/// <summary>Builds what a paying client sends: a quote as the server makes it, with the authorization headers.</summary>
internal static class PaidRequests
{
    public static InferenceAuthorization Authorization(Address user, ulong modelId, UInt256 maxFee, UInt256? nonce = null, ulong? expiry = null) =>
        new(user, modelId, maxFee, nonce ?? new UInt256((ulong)Random.Shared.NextInt64(1, long.MaxValue)),
            expiry ?? (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);

    public static Dictionary<string, string> Headers(InferenceAuthorization a, byte[] signature) => new()
    {
        [PaymentHeaders.Payer.ToLowerInvariant()] = a.User.ToString(),
        [AuthorizationHeaders.MaxFee.ToLowerInvariant()] = a.MaxFee.ToString(),
        [AuthorizationHeaders.Nonce.ToLowerInvariant()] = a.Nonce.ToString(),
        [AuthorizationHeaders.Expiry.ToLowerInvariant()] = a.Expiry.ToString(CultureInfo.InvariantCulture),
        [AuthorizationHeaders.Signature.ToLowerInvariant()] = Hex.Encode(signature),
    };

    public static InferenceQuote Quote(ulong? modelId, UInt256 pricePer1k, int promptTokens, int maxTokens, IReadOnlyDictionary<string, string> headers, Hash256? adapterHash = null) =>
        new("adapter", modelId, adapterHash, pricePer1k, promptTokens, maxTokens, "test", headers);

    /// <summary>A quote signed by <paramref name="key"/> authorizing exactly the quote's maximum fee.</summary>
    public static (InferenceQuote Quote, InferenceAuthorization Auth) Signed(SettlementChain c, byte[] key, ulong modelId, UInt256 pricePer1k, int promptTokens, int maxTokens, Hash256? adapterHash = null)
    {
        using var k = new EthKey(key);
        var maxFee = Pricing.Fee(pricePer1k, promptTokens + maxTokens);
        var auth = Authorization(k.Address, modelId, maxFee);
        var sig = auth.Sign(c.ChainId, c.Payments.Address, k);
        return (Quote(modelId, pricePer1k, promptTokens, maxTokens, Headers(auth, sig), adapterHash), auth);
    }
}
