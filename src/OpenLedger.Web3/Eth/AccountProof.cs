using System.Text.Json;
using OpenLedger.Primitives;
using static OpenLedger.Web3.Eth.JsonRead;

namespace OpenLedger.Web3.Eth;

/// <summary>eth_getProof (EIP-1186): the account's fields and the Merkle-Patricia proof nodes.</summary>
public sealed record AccountProof(
    Address Address, UInt256 Balance, ulong Nonce, Hash256 CodeHash, Hash256 StorageHash,
    IReadOnlyList<byte[]> AccountProofNodes, IReadOnlyList<StorageProof> StorageProofs)
{
    internal static AccountProof Read(JsonElement e) => new(
        AddrOf(e, "address"), U256Of(e, "balance"), ULongOf(e, "nonce"), HashOf(e, "codeHash"), HashOf(e, "storageHash"),
        Array(e, "accountProof", Bytes),
        Array(e, "storageProof", (s, w) => new StorageProof(U256Of(s, "key"), U256Of(s, "value"), Array(s, "proof", Bytes))));
}
