using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Signing;

namespace OpenLedger.Primitives.Tests;

public class PersonalMessageTests
{
    private const string Key = "0x4646464646464646464646464646464646464646464646464646464646464646";
    private static readonly Address KeyAddress = Address.Parse("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");

    // Expected values from Foundry: `cast hash-message` and `cast wallet sign` (v1.7.1).
    [Theory]
    [InlineData("Hello OpenLedger", "0x861fc39ed294aee9f34379ec0e69c2f97f1edf6068677284b76f4564df356663")]
    [InlineData("", "0x5f35dce98ba4fba25530a026ed80b2cecdaa31091ba4958b99b52ea1d068adad")]
    public void Hash_matches_foundry(string message, string expected) =>
        Assert.Equal(Hash256.Parse(expected), PersonalMessage.Hash(message));

    [Fact]
    public void Hex_looking_text_is_hashed_as_text_like_foundry()
    {
        // `cast hash-message 0xdeadbeef` hashes the ten characters; callers wanting bytes pass bytes.
        Assert.Equal(Hash256.Parse("0xefedd0a9a0294228c3977d7fbb68c7d40279f8b408cf3e24ef1823b179709e58"), PersonalMessage.Hash("0xdeadbeef"));
        Assert.NotEqual(PersonalMessage.Hash("0xdeadbeef"), PersonalMessage.Hash(Hex.Decode("0xdeadbeef")));
    }

    [Fact]
    public void Signature_matches_foundry_and_recovers()
    {
        var expected = Hex.Decode("0xa37a589ddf1e33ef7f92fde44a811f6ca05c736bebcc1b559313ed4ab191e88955fb909c508e125041be905b84fc9cd16989c785e92a4c7c2b2d51ed6678219c1c");
        using var key = EthKey.FromHex(Key);
        var message = "Hello OpenLedger"u8;
        Assert.Equal(expected, PersonalMessage.Sign(message, key).ToBytes());
        Assert.True(PersonalMessage.TryRecoverSigner(message, expected, out var signer));
        Assert.Equal(KeyAddress, signer);

        Assert.True(PersonalMessage.TryRecoverSigner("Hello OpenLedger!"u8, expected, out var other));
        Assert.NotEqual(KeyAddress, other);
        var badV = (byte[])expected.Clone();
        badV[64] = 5;
        Assert.False(PersonalMessage.TryRecoverSigner(message, badV, out _));
        Assert.False(PersonalMessage.TryRecoverSigner(message, expected[..64], out _));
    }

    [Fact]
    public void Length_prefix_is_the_decimal_byte_count()
    {
        var message = new byte[1234];
        var expected = Keccak256.Compute([.. "\u0019Ethereum Signed Message:\n1234"u8, .. message]);
        Assert.Equal(expected, PersonalMessage.Hash(message));
        // UTF-8 byte count, not char count.
        Assert.Equal(Keccak256.Compute([.. "\u0019Ethereum Signed Message:\n2"u8, 0xC3, 0xA9]), PersonalMessage.Hash("é"));
    }

    [Fact]
    public void Version_zero_binds_the_validator()
    {
        var validator = Address.Parse("0x3535353535353535353535353535353535353535");
        Assert.Equal(Keccak256.Compute([0x19, 0x00, .. validator.Bytes, 1, 2]), PersonalMessage.HashWithValidator(validator, [1, 2]));
    }
}
