namespace OpenLedger.Primitives.Wallet;

/// <summary>Development accounts from the standard test mnemonic, the same ones anvil and Hardhat print.</summary>
public static class DevAccounts
{
    public const string TestMnemonic = "test test test test test test test test test test test junk";

    /// <summary>Private keys at m/44'/60'/0'/0/i for i in [0, count).</summary>
    public static IReadOnlyList<byte[]> PrivateKeys(int count, string mnemonic = TestMnemonic)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var account = Bip32Key.FromSeed(Bip39.MnemonicToSeed(mnemonic)).Derive("m/44'/60'/0'/0");
        var keys = new byte[count][];
        for (int i = 0; i < count; i++) keys[i] = account.Child((uint)i).PrivateKey.ToArray();
        return keys;
    }
}
