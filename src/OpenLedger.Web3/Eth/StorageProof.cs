using OpenLedger.Primitives;

namespace OpenLedger.Web3.Eth;

/// <summary>One storage slot of eth_getProof.</summary>
public sealed record StorageProof(UInt256 Key, UInt256 Value, IReadOnlyList<byte[]> Proof);
