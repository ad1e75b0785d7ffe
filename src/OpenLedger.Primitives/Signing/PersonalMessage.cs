using System.Text;
using OpenLedger.Primitives.Crypto;

namespace OpenLedger.Primitives.Signing;

/// <summary>
/// EIP-191 signed data. Version 0x45 ("E") is personal_sign / eth_sign:
/// keccak256("\x19Ethereum Signed Message:\n" + decimal length + message); version 0x00 binds data to a validator.
/// </summary>
public static class PersonalMessage
{
    private static readonly byte[] Prefix = "\u0019Ethereum Signed Message:\n"u8.ToArray();

    public static Hash256 Hash(ReadOnlySpan<byte> message)
    {
        var hasher = new Keccak256Hasher();
        hasher.Update(Prefix);
        hasher.Update(Encoding.ASCII.GetBytes(message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        hasher.Update(message);
        return hasher.Finish();
    }

    /// <summary>Hashes the UTF-8 bytes of the text (what wallets do for a string message).</summary>
    public static Hash256 Hash(string message) => Hash(Encoding.UTF8.GetBytes(message));

    public static Signature Sign(ReadOnlySpan<byte> message, EthKey key) => key.Sign(Hash(message));

    /// <summary>The signer of a 65-byte r || s || v signature (v 27/28 or 0/1), or false.</summary>
    public static bool TryRecoverSigner(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature65, out Address signer)
    {
        signer = default;
        Signature sig;
        try
        {
            sig = Signature.FromBytes(signature65);
        }
        catch (ArgumentException)
        {
            return false;
        }
        return Secp256k1.TryRecoverAddress(Hash(message).Bytes, sig, out signer);
    }

    /// <summary>EIP-191 version 0x00: keccak256(0x19 || 0x00 || validator || data).</summary>
    public static Hash256 HashWithValidator(in Address validator, ReadOnlySpan<byte> data)
    {
        var hasher = new Keccak256Hasher();
        hasher.Update([0x19, 0x00]);
        hasher.Update(validator.Bytes);
        hasher.Update(data);
        return hasher.Finish();
    }
}
