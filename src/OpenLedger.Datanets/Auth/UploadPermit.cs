using System.Globalization;
using System.Text.Json;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Signing;

namespace OpenLedger.Datanets.Auth;

/// <summary>
/// What a contributor signs to upload: EIP-712 typed data, exactly what MetaMask's <c>eth_signTypedData_v4</c> takes:
/// <code>
/// domain  { name: "OpenLedger Datanets", version: "1", chainId, verifyingContract: DatanetRegistry }
/// Upload  { uint256 datanetId, bytes32 contentHash, uint64 size, uint64 expiry, uint256 nonce }
/// </code>
/// expiry is a Unix time in seconds; the nonce is any number the signer has not used before (a random 256-bit value
/// from the browser is fine).
/// </summary>
public sealed record UploadPermit(long DatanetId, Hash256 ContentHash, long Size, long Expiry, UInt256 Nonce)
{
    public const string DomainName = "OpenLedger Datanets";
    public const string DomainVersion = "1";

    /// <summary>The eth_signTypedData_v4 document for this permit.</summary>
    public string TypedDataJson(ulong chainId, string registry) => JsonSerializer.Serialize(new
    {
        types = new Dictionary<string, object[]>
        {
            ["EIP712Domain"] =
            [
                new { name = "name", type = "string" }, new { name = "version", type = "string" },
                new { name = "chainId", type = "uint256" }, new { name = "verifyingContract", type = "address" },
            ],
            ["Upload"] =
            [
                new { name = "datanetId", type = "uint256" }, new { name = "contentHash", type = "bytes32" },
                new { name = "size", type = "uint64" }, new { name = "expiry", type = "uint64" }, new { name = "nonce", type = "uint256" },
            ],
        },
        primaryType = "Upload",
        domain = new { name = DomainName, version = DomainVersion, chainId = chainId.ToString(CultureInfo.InvariantCulture), verifyingContract = registry },
        message = new
        {
            datanetId = DatanetId.ToString(CultureInfo.InvariantCulture),
            contentHash = ContentHash.ToString(),
            size = Size.ToString(CultureInfo.InvariantCulture),
            expiry = Expiry.ToString(CultureInfo.InvariantCulture),
            nonce = Nonce.ToString(),
        },
    });

    /// <summary>The address that signed, or null when the signature is malformed or recovers nothing.</summary>
    public Address? Signer(ulong chainId, string registry, ReadOnlySpan<byte> signature65) =>
        Eip712.TryRecoverSigner(TypedDataJson(chainId, registry), signature65, out var a) ? a : null;

    /// <summary>Signs (tests, scripts and the benchmark; a browser signs with the wallet instead).</summary>
    public byte[] Sign(ulong chainId, string registry, EthKey key) => Eip712.Sign(TypedDataJson(chainId, registry), key).ToBytes();
}
