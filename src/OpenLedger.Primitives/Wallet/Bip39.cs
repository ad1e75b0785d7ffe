using System.Security.Cryptography;
using System.Text;

namespace OpenLedger.Primitives.Wallet;

/// <summary>
/// BIP-39 mnemonic to seed: PBKDF2-HMAC-SHA512, 2048 rounds, salt "mnemonic" + passphrase, both NFKD.
/// Word-list checksum validation is not done here: devnet mnemonics are given, not typed by users.
/// </summary>
public static class Bip39
{
    public static byte[] MnemonicToSeed(string mnemonic, string passphrase = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mnemonic);
        var words = mnemonic.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is not (12 or 15 or 18 or 21 or 24))
            throw new ArgumentException($"a BIP-39 mnemonic has 12, 15, 18, 21 or 24 words, got {words.Length}", nameof(mnemonic));
        var normalized = string.Join(' ', words).Normalize(NormalizationForm.FormKD);
        var salt = Encoding.UTF8.GetBytes(("mnemonic" + passphrase).Normalize(NormalizationForm.FormKD));
        return Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(normalized), salt, 2048, HashAlgorithmName.SHA512, 64);
    }
}
