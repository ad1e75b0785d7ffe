using System.Globalization;
using OpenLedger.Primitives;
using OpenLedger.Serving.Payments;

namespace OpenLedger.Settlement.Authorization;

/// <summary>
/// The HTTP headers a paid request carries its authorization in (the model id is the request's `model`, resolved by
/// the server to its ModelRegistry id):
/// <code>
/// X-OpenLedger-Payer:     0x… user address
/// X-OpenLedger-Max-Fee:   decimal wei
/// X-OpenLedger-Nonce:     decimal uint256
/// X-OpenLedger-Expiry:    unix seconds
/// X-OpenLedger-Signature: 0x… 65 bytes, r ‖ s ‖ v
/// </code>
/// </summary>
public static class AuthorizationHeaders
{
    public const string MaxFee = "X-OpenLedger-Max-Fee";
    public const string Nonce = "X-OpenLedger-Nonce";
    public const string Expiry = "X-OpenLedger-Expiry";
    public const string Signature = "X-OpenLedger-Signature";

    /// <summary>Reads the authorization; a missing or malformed header is a <see cref="PaymentRefusal.Unauthorized"/> refusal naming it.</summary>
    public static (InferenceAuthorization Authorization, byte[] Signature) Parse(IReadOnlyDictionary<string, string> headers, ulong modelId)
    {
        string Need(string name) => headers.TryGetValue(name.ToLowerInvariant(), out var v) && !string.IsNullOrWhiteSpace(v)
            ? v.Trim()
            : throw Refuse($"a paid request needs the {name} header (see docs/settlement.md)", "missing_authorization");

        var payer = Need(PaymentHeaders.Payer);
        if (!Address.TryParse(payer, out var user)) throw Refuse($"{PaymentHeaders.Payer} is not an address: '{payer}'", "invalid_authorization");
        var maxFeeText = Need(MaxFee);
        if (!UInt256.TryParse(maxFeeText, out var maxFee)) throw Refuse($"{MaxFee} is not a decimal uint256: '{maxFeeText}'", "invalid_authorization");
        var nonceText = Need(Nonce);
        if (!UInt256.TryParse(nonceText, out var nonce)) throw Refuse($"{Nonce} is not a decimal uint256: '{nonceText}'", "invalid_authorization");
        var expiryText = Need(Expiry);
        if (!ulong.TryParse(expiryText, NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)) throw Refuse($"{Expiry} is not unix seconds: '{expiryText}'", "invalid_authorization");
        var sigText = Need(Signature);
        if (!Hex.TryDecode(sigText, out var sig)) throw Refuse($"{Signature} is not hex", "invalid_signature");
        return (new InferenceAuthorization(user, modelId, maxFee, nonce, expiry), sig);
    }

    private static PaymentRefusedException Refuse(string message, string code) => new(PaymentRefusal.Unauthorized, message, code);
}
