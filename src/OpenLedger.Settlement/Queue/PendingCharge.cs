using System.Globalization;
using System.Text.Json.Nodes;
using OpenLedger.Primitives;
using OpenLedger.Settlement.Authorization;
using OpenLedger.Settlement.Chain;

namespace OpenLedger.Settlement.Queue;

/// <summary>A charge the server owes the chain: journaled before the answer is returned, settled in a later batch.</summary>
public sealed record PendingCharge(ChargeItem Item, DateTimeOffset QueuedAt)
{
    public string Key => KeyOf(Item.Authorization.User, Item.Authorization.Nonce);

    public static string KeyOf(Address user, UInt256 nonce) => user.ToLowerHex() + ":" + nonce;

    public JsonObject ToJson()
    {
        var a = Item.Authorization;
        return new JsonObject
        {
            ["op"] = "charge",
            ["key"] = Key,
            ["user"] = a.User.ToString(),
            ["modelId"] = a.ModelId.ToString(CultureInfo.InvariantCulture),
            ["maxFee"] = a.MaxFee.ToString(),
            ["nonce"] = a.Nonce.ToString(),
            ["expiry"] = a.Expiry.ToString(CultureInfo.InvariantCulture),
            ["signature"] = Hex.Encode(Item.Signature),
            ["fee"] = Item.Fee.ToString(),
            ["recordHash"] = Item.RecordHash.ToString(),
            ["queuedAt"] = QueuedAt.ToUnixTimeMilliseconds(),
        };
    }

    public static PendingCharge FromJson(JsonObject o)
    {
        string S(string n) => o[n]?.GetValue<string>() ?? throw new FormatException($"charge entry lacks \"{n}\"");
        var auth = new InferenceAuthorization(Address.Parse(S("user")), ulong.Parse(S("modelId"), CultureInfo.InvariantCulture),
            UInt256.Parse(S("maxFee")), UInt256.Parse(S("nonce")), ulong.Parse(S("expiry"), CultureInfo.InvariantCulture));
        var queuedAt = DateTimeOffset.FromUnixTimeMilliseconds(o["queuedAt"]?.GetValue<long>() ?? throw new FormatException("charge entry lacks \"queuedAt\""));
        return new PendingCharge(new ChargeItem(auth, Hex.Decode(S("signature")), UInt256.Parse(S("fee")), Hash256.Parse(S("recordHash"))), queuedAt);
    }
}
