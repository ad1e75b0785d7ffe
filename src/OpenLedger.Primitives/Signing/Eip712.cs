using OpenLedger.Primitives.Crypto;

namespace OpenLedger.Primitives.Signing;

/// <summary>One-call EIP-712 helpers over an eth_signTypedData_v4 JSON document (see <see cref="TypedData"/>).</summary>
public static class Eip712
{
    public static Hash256 Hash(string typedDataJson) => TypedData.Parse(typedDataJson).SigningHash();

    public static Signature Sign(string typedDataJson, EthKey key) => key.Sign(Hash(typedDataJson));

    /// <summary>The signer of a 65-byte r || s || v signature over the document, or false.</summary>
    public static bool TryRecoverSigner(string typedDataJson, ReadOnlySpan<byte> signature65, out Address signer)
    {
        signer = default;
        if (signature65.Length != 65 || signature65[64] is not (0 or 1 or 27 or 28)) return false;
        return Secp256k1.TryRecoverAddress(Hash(typedDataJson).Bytes, Signature.FromBytes(signature65), out signer);
    }
}
