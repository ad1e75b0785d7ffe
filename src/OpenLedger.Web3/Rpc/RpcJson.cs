using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenLedger.Web3.Rpc;

/// <summary>Serializer settings for request parameters: camelCase names, nulls left out (nodes reject "to": null on calls).</summary>
internal static class RpcJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
