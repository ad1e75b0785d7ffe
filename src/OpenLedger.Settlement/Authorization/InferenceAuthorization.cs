using System.Globalization;
using System.Text.Json;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Signing;

namespace OpenLedger.Settlement.Authorization;

/// <summary>
/// What a user signs for one paid request: EIP-712 typed data, exactly what MetaMask's <c>eth_signTypedData_v4</c>
/// takes, and what <c>InferencePayments.authorizationDigest</c> hashes:
/// <code>
/// domain  { name: "OpenLedger Inference", version: "1", chainId, verifyingContract: InferencePayments }
/// InferenceAuthorization { address user, uint256 modelId, uint256 maxFee, uint256 nonce, uint64 expiry }
/// </code>
/// modelId is the ModelRegistry id, maxFee in wei of OPEN, nonce any number the user has not had charged, expiry a
/// Unix time in seconds after which the authorization can no longer be charged.
/// </summary>
public sealed record InferenceAuthorization(Address User, ulong ModelId, UInt256 MaxFee, UInt256 Nonce, ulong Expiry)
{
    public const string DomainName = "OpenLedger Inference";
    public const string DomainVersion = "1";

    /// <summary>The eth_signTypedData_v4 document.</summary>
    public string TypedDataJson(ulong chainId, Address contract) => JsonSerializer.Serialize(new
    {
        types = new Dictionary<string, object[]>
        {
            ["EIP712Domain"] =
            [
                new { name = "name", type = "string" }, new { name = "version", type = "string" },
                new { name = "chainId", type = "uint256" }, new { name = "verifyingContract", type = "address" },
            ],
            ["InferenceAuthorization"] =
            [
                new { name = "user", type = "address" }, new { name = "modelId", type = "uint256" },
                new { name = "maxFee", type = "uint256" }, new { name = "nonce", type = "uint256" }, new { name = "expiry", type = "uint64" },
            ],
        },
        primaryType = "InferenceAuthorization",
        domain = new { name = DomainName, version = DomainVersion, chainId = chainId.ToString(CultureInfo.InvariantCulture), verifyingContract = contract.ToString() },
        message = new
        {
            user = User.ToString(),
            modelId = ModelId.ToString(CultureInfo.InvariantCulture),
            maxFee = MaxFee.ToString(),
            nonce = Nonce.ToString(),
            expiry = Expiry.ToString(CultureInfo.InvariantCulture),
        },
    });

    /// <summary>The digest the user signs (equal to the contract's <c>authorizationDigest</c>).</summary>
    public Hash256 Digest(ulong chainId, Address contract) => Eip712.Hash(TypedDataJson(chainId, contract));

    /// <summary>Signs with v = 27/28 and low s, the form the contract's ECDSA accepts (tests, scripts, clients).</summary>
    public byte[] Sign(ulong chainId, Address contract, EthKey key) => Eip712.Sign(TypedDataJson(chainId, contract), key).ToBytes();

    /// <summary>
    /// Checks that <paramref name="signature"/> is one the contract will accept for this authorization and that
    /// <see cref="User"/> made it; returns the signature in the contract's form (v = 27/28) or an error text.
    /// High-s signatures and other v values are refused: OpenZeppelin's ECDSA rejects them on-chain, so accepting
    /// one here would let a request run and then fail to settle.
    /// </summary>
    public byte[]? Verify(ulong chainId, Address contract, ReadOnlySpan<byte> signature, out string? error)
    {
        error = null;
        if (signature.Length != 65) { error = $"signature must be 65 bytes (r ‖ s ‖ v), got {signature.Length}"; return null; }
        if (signature[64] is not (0 or 1 or 27 or 28)) { error = $"signature v must be 27 or 28, got {signature[64]}"; return null; }
        var sig = Signature.FromBytes(signature);
        if (!sig.IsLowS) { error = "signature s is in the upper half of the curve order (EIP-2): re-sign with a standard wallet"; return null; }
        var digest = Digest(chainId, contract);
        if (!Secp256k1.TryRecoverAddress(digest.Bytes, sig, out var signer)) { error = "signature does not recover a public key"; return null; }
        if (signer != User) { error = $"signature was made by {signer}, not by the user {User}"; return null; }
        return sig.ToBytes();
    }
}
