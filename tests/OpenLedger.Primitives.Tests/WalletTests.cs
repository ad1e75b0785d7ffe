using OpenLedger.Primitives.Wallet;

namespace OpenLedger.Primitives.Tests;

public class WalletTests
{
    [Fact]
    public void TestMnemonic_GivesAnvilsDevKeys()
    {
        var keys = DevAccounts.PrivateKeys(3);
        Assert.Equal("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", Convert.ToHexStringLower(keys[0]));
        Assert.Equal("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", Convert.ToHexStringLower(keys[1]));
        Assert.Equal("5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a", Convert.ToHexStringLower(keys[2]));
    }

    [Theory]
    [InlineData("m/0'", "edb2e14f9ee77d26dd93b4ecede8d16ed408ce149b6cd80b0715a2d911a0afea")]
    [InlineData("m/0'/1/2'/2/1000000000", "471b76e389e528d6de6d816857e012c5455051cad6660850e58372a6c3e6e7c8")]
    public void Bip32_TestVector1(string path, string expected)
    {
        var master = Bip32Key.FromSeed(Convert.FromHexString("000102030405060708090a0b0c0d0e0f"));
        Assert.Equal(expected, Convert.ToHexStringLower(master.Derive(path).PrivateKey));
    }

    [Theory]
    [InlineData("44'/60'")]
    [InlineData("m/x")]
    [InlineData("m/2147483648")]
    public void Bip32_RejectsBadPaths(string path)
    {
        var master = Bip32Key.FromSeed(new byte[16]);
        Assert.Throws<FormatException>(() => master.Derive(path));
    }

    [Fact]
    public void Bip39_RejectsWrongWordCount() =>
        Assert.Throws<ArgumentException>(() => Bip39.MnemonicToSeed("test test test"));
}
