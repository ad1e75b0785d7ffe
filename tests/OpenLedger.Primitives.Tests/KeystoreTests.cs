using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Keystore;

namespace OpenLedger.Primitives.Tests;

public class KeystoreTests
{
    private const string Password = "testpassword";
    private const string PrivateKey = "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";

    // The two vectors published with the Web3 Secret Storage Definition (v3).
    private const string Pbkdf2Vector = """
        {"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"6087dab2f9fdbbfaddc31a909735c1e6"},
         "ciphertext":"5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46","kdf":"pbkdf2",
         "kdfparams":{"c":262144,"dklen":32,"prf":"hmac-sha256","salt":"ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},
         "mac":"517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"},
         "id":"3198bc9c-6672-5ab3-d995-4942343ae5b6","version":3}
        """;

    private const string ScryptVector = """
        {"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"83dbcc02d8ccb40e466191a123791e0e"},
         "ciphertext":"d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c","kdf":"scrypt",
         "kdfparams":{"dklen":32,"n":262144,"r":1,"p":8,"salt":"ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"},
         "mac":"2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"},
         "id":"3198bc9c-6672-5ab3-d995-4942343ae5b6","version":3}
        """;

    [Fact]
    public void Decrypts_the_spec_pbkdf2_vector() =>
        Assert.Equal(PrivateKey, Hex.Encode(Web3SecretStorage.Decrypt(Pbkdf2Vector, Password), prefix: false));

    [Fact]
    public void Decrypts_the_spec_scrypt_vector() =>
        Assert.Equal(PrivateKey, Hex.Encode(Web3SecretStorage.Decrypt(ScryptVector, Password), prefix: false));

    [Fact]
    public void Encrypting_with_the_vector_parameters_reproduces_the_vector()
    {
        var kdf = new Pbkdf2Parameters(262144, 32, Hex.Decode("ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"));
        var json = Web3SecretStorage.Encrypt(Hex.Decode(PrivateKey), Password, kdf, Hex.Decode("6087dab2f9fdbbfaddc31a909735c1e6"), Guid.Parse("3198bc9c-6672-5ab3-d995-4942343ae5b6"));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var crypto = doc.RootElement.GetProperty("crypto");
        Assert.Equal("5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46", crypto.GetProperty("ciphertext").GetString());
        Assert.Equal("517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2", crypto.GetProperty("mac").GetString());
        Assert.Equal("008aeeda4d805471df9b2a5b0f38a0c3bcba786b", doc.RootElement.GetProperty("address").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("version").GetInt32());
    }

    [Fact]
    public void Wrong_password_is_a_clear_error()
    {
        var e = Assert.Throws<KeystoreException>(() => Web3SecretStorage.Decrypt(Pbkdf2Vector, "wrong"));
        Assert.Contains("wrong password", e.Message);
    }

    [Fact]
    public void Round_trips_with_both_kdfs_and_random_parameters()
    {
        using var key = EthKey.Generate();
        var priv = key.ExportPrivateKey();
        foreach (KdfParameters kdf in new KdfParameters[]
                 {
                     new ScryptParameters(1 << 10, 8, 1, 32, new byte[] { 1, 2, 3, 4 }),
                     new Pbkdf2Parameters(1000, 32, new byte[] { 5, 6, 7 }),
                 })
        {
            var json = Web3SecretStorage.Encrypt(priv, "pässwörd ✓", kdf);
            Assert.Equal(priv, Web3SecretStorage.Decrypt(json, "pässwörd ✓"));
            Assert.Throws<KeystoreException>(() => Web3SecretStorage.Decrypt(json, "passwörd ✓"));
            Assert.Contains(key.Address.ToLowerHex()[2..], json);
        }
    }

    [Theory]
    [InlineData(1 << 24, 8, 1, "MiB")]          // 16 GiB of memory
    [InlineData(1 << 20, 16, 1, "MiB")]         // 2 GiB
    [InlineData(1 << 18, 8, 64, "work")]        // affordable memory, absurd repetition
    [InlineData(1000, 8, 1, "power of two")]
    [InlineData(1 << 10, 0, 1, "r")]
    [InlineData(1 << 10, 8, 0, "p")]
    public void Absurd_scrypt_parameters_are_rejected_before_any_work(int n, int r, int p, string expected)
    {
        var json = ScryptVector.Replace("\"n\":262144,\"r\":1,\"p\":8", $"\"n\":{n},\"r\":{r},\"p\":{p}");
        Assert.NotEqual(ScryptVector, json);
        var e = Assert.Throws<KeystoreException>(() => Web3SecretStorage.Decrypt(json, Password));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "object")]
    [InlineData("{\"version\":3}", "crypto")]
    [InlineData("{\"version\":4,\"crypto\":{}}", "version 4")]
    [InlineData("{\"version\":\"3\",\"crypto\":{}}", "version")]
    public void Malformed_files_are_rejected(string json, string expected)
    {
        var e = Assert.Throws<KeystoreException>(() => Web3SecretStorage.Decrypt(json, Password));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("\"cipher\":\"aes-128-ctr\"", "\"cipher\":\"aes-128-cbc\"", "cipher")]
    [InlineData("\"iv\":\"6087dab2f9fdbbfaddc31a909735c1e6\"", "\"iv\":\"6087dab2\"", "iv")]
    [InlineData("\"iv\":\"6087dab2f9fdbbfaddc31a909735c1e6\"", "\"iv\":\"zz87dab2f9fdbbfaddc31a909735c1e6\"", "hex")]
    [InlineData("\"kdf\":\"pbkdf2\"", "\"kdf\":\"argon2\"", "kdf")]
    [InlineData("\"prf\":\"hmac-sha256\"", "\"prf\":\"hmac-sha512\"", "prf")]
    [InlineData("\"c\":262144", "\"c\":2000000000", "c")]
    [InlineData("\"c\":262144", "\"c\":1e400", "c")]
    [InlineData("\"dklen\":32", "\"dklen\":16", "dklen")]
    [InlineData("\"mac\":\"517e", "\"mac\":\"", "mac")]
    [InlineData("\"ciphertext\":\"5318", "\"ciphertext\":\"", "ciphertext")]
    [InlineData("\"crypto\"", "\"Crypto\"", null)] // old geth capitalisation is accepted
    public void Field_level_errors_name_the_field(string from, string to, string? expected)
    {
        var json = Pbkdf2Vector.Replace(from, to);
        Assert.NotEqual(Pbkdf2Vector, json);
        if (expected is null)
        {
            Assert.Equal(PrivateKey, Hex.Encode(Web3SecretStorage.Decrypt(json, Password), prefix: false));
            return;
        }
        var e = Assert.Throws<KeystoreException>(() => Web3SecretStorage.Decrypt(json, Password));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Address_field_must_match_the_key()
    {
        var withAddress = Pbkdf2Vector.Replace("\"version\":3", "\"version\":3,\"address\":\"008aeeda4d805471df9b2a5b0f38a0c3bcba786b\"");
        Assert.Equal(PrivateKey, Hex.Encode(Web3SecretStorage.Decrypt(withAddress, Password), prefix: false));
        var wrong = Pbkdf2Vector.Replace("\"version\":3", "\"version\":3,\"address\":\"108aeeda4d805471df9b2a5b0f38a0c3bcba786b\"");
        Assert.Contains("address", Assert.Throws<KeystoreException>(() => Web3SecretStorage.Decrypt(wrong, Password)).Message);
    }
}

public class KeystoreScryptTests
{
    [Theory]
    // RFC 7914 section 12 test vectors.
    [InlineData("", "", 16, 1, 1, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")]
    [InlineData("password", "NaCl", 1024, 8, 16, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")]
    public void Matches_rfc7914_vectors(string password, string salt, int n, int r, int p, string expected) =>
        Assert.Equal(expected, Hex.Encode(Scrypt.Derive(System.Text.Encoding.UTF8.GetBytes(password), System.Text.Encoding.UTF8.GetBytes(salt), n, r, p, 64), prefix: false));

    [Theory]
    [InlineData(2, 1, 1, 32)]
    [InlineData(256, 2, 3, 48)]
    [InlineData(1024, 3, 2, 32)]
    public void Matches_bouncycastle_where_bouncycastle_accepts_the_parameters(int n, int r, int p, int dkLen)
    {
        var password = "hunter2"u8.ToArray();
        var salt = new byte[] { 9, 8, 7, 6, 5 };
        Assert.Equal(Org.BouncyCastle.Crypto.Generators.SCrypt.Generate(password, salt, n, r, p, dkLen), Scrypt.Derive(password, salt, n, r, p, dkLen));
    }
}
