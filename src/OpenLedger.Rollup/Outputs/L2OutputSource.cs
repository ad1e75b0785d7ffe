using Nethereum.JsonRpc.Client;
using Newtonsoft.Json.Linq;

namespace OpenLedger.Rollup.Outputs;

/// <summary>
/// An L2 node's view of its outputs over JSON-RPC (Nethereum's client): the number of its safe (or another tagged)
/// head and <c>optimism_outputAtBlock</c>'s output root.
/// </summary>
public sealed class L2OutputSource(IClient l2, string headTag = "safe")
{
    private int _id;

    public string HeadTag => headTag;

    private async Task<JToken?> RpcAsync(string method, params object[] args) =>
        await l2.SendRequestAsync<JToken?>(new RpcRequest(Interlocked.Increment(ref _id), method, args)).ConfigureAwait(false);

    /// <summary>The number of the node's <see cref="HeadTag"/> block.</summary>
    public async Task<ulong> HeadAsync()
    {
        var b = await RpcAsync("eth_getBlockByNumber", headTag, false).ConfigureAwait(false);
        if (b is null || b.Type == JTokenType.Null) throw new FormatException($"the L2 node has no '{headTag}' block");
        return OutputOracleClient.Quantity(b["number"]);
    }

    /// <summary>The version-0 output root of L2 block <paramref name="number"/> as this node computes it.</summary>
    public async Task<Hash256> OutputRootAsync(ulong number)
    {
        var o = await RpcAsync("optimism_outputAtBlock", "0x" + number.ToString("x")).ConfigureAwait(false)
            ?? throw new FormatException($"optimism_outputAtBlock({number}) returned nothing");
        return Hash256.Parse(o["outputRoot"]?.Value<string>() ?? throw new FormatException("optimism_outputAtBlock: no outputRoot"));
    }
}
