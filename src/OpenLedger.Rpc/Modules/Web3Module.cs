using OpenLedger.Primitives;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Modules;

/// <summary>web3_* and net_*: identity of the node and its network.</summary>
public static class Web3Module
{
    public static void Register(RpcMethodRegistry registry, string clientVersion, ulong networkId)
    {
        registry.Add("web3_clientVersion", p =>
        {
            p.ExpectAtMost(0);
            return clientVersion;
        });
        registry.Add("web3_sha3", p =>
        {
            p.ExpectAtMost(1);
            return RpcHex.Data(Keccak256.Compute(p.Data(0)).Bytes);
        });
        registry.Add("net_version", p =>
        {
            p.ExpectAtMost(0);
            return networkId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        registry.Add("net_listening", p =>
        {
            p.ExpectAtMost(0);
            return true;
        });
        // A single sequencer has no peers; replicas follow L1, not a p2p network.
        registry.Add("net_peerCount", p =>
        {
            p.ExpectAtMost(0);
            return "0x0";
        });
    }
}
