using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Signing;

namespace OpenLedger.Primitives.Tests;

public class Eip712Tests
{
    private static readonly Address KeyAddress = Address.Parse("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");

    // The example from the EIP-712 specification (its Example.js / Example.sol).
    private const string Mail = """
        {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
          "Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
          "Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]},
         "primaryType":"Mail",
         "domain":{"name":"Ether Mail","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
         "message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},"to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":"Hello, Bob!"}}
        """;

    // ERC-2612 permit; digest cross-checked by hand with `cast keccak`/`cast abi-encode` and signed by `cast wallet sign --data`.
    private const string Permit = """
        {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],"Permit":[{"name":"owner","type":"address"},{"name":"spender","type":"address"},{"name":"value","type":"uint256"},{"name":"nonce","type":"uint256"},{"name":"deadline","type":"uint256"}]},"primaryType":"Permit","domain":{"name":"OpenLedger","version":"1","chainId":1337,"verifyingContract":"0x5FbDB2315678afecb367f032d93F642f64180aa3"},"message":{"owner":"0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F","spender":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"1000000000000000000","nonce":0,"deadline":"115792089237316195423570985008687907853269984665640564039457584007913129639935"}}
        """;

    // Nested structs, struct arrays, address[], bytes, bytes4[2], int8 (negative), bool, uint16[][] and a salted domain; signed by `cast wallet sign --data`.
    private const string Nested = """
        {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"},{"name":"salt","type":"bytes32"}],"Person":[{"name":"name","type":"string"},{"name":"wallets","type":"address[]"}],"Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person[]"},{"name":"contents","type":"string"},{"name":"attachment","type":"bytes"},{"name":"tags","type":"bytes4[2]"},{"name":"priority","type":"int8"},{"name":"urgent","type":"bool"},{"name":"grid","type":"uint16[][]"}]},"primaryType":"Mail","domain":{"name":"Ether Mail","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC","salt":"0xf2d857f4a3edcb9b78b4d503bfe733db1e3f6cdc2b7971ee739626c97e86a558"},"message":{"from":{"name":"Cow","wallets":["0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826","0xDeaDbeefdEAdbeefdEadbEEFdeadbeEFdEaDbeeF"]},"to":[{"name":"Bob","wallets":["0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB","0xB0BdaBea57B0BDABeA57b0bdABEA57b0BDabEa57","0xB0B0b0b0b0b0B000000000000000000000000000"]}],"contents":"Hello, Bob!","attachment":"0x00ff10","tags":["0x01020304","0xa1b2c3d4"],"priority":-5,"urgent":true,"grid":[[1,2],[],[65535]]}}
        """;

    [Fact]
    public void Spec_mail_example()
    {
        var data = TypedData.Parse(Mail);
        Assert.Equal("Mail(Person from,Person to,string contents)Person(string name,address wallet)", data.EncodeType("Mail"));
        Assert.Equal(Hash256.Parse("0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2"), data.TypeHash("Mail"));
        Assert.Equal(Hash256.Parse("0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e"), data.MessageHash);
        Assert.Equal(Hash256.Parse("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f"), data.DomainSeparator);
        Assert.Equal(Hash256.Parse("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"), data.SigningHash());

        using var cow = new EthKey(Keccak256.Compute("cow"u8).Bytes);
        Assert.Equal(Address.Parse("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"), cow.Address);
        var sig = data.Sign(cow);
        Assert.Equal(28, sig.V);
        Assert.Equal(UInt256.FromBigEndian(Hex.Decode("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d")), sig.R);
        Assert.Equal(UInt256.FromBigEndian(Hex.Decode("0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562")), sig.S);
    }

    [Fact]
    public void Erc2612_permit_digest()
    {
        var data = TypedData.Parse(Permit);
        Assert.Equal(Hash256.Parse("0x6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9"), data.TypeHash("Permit"));
        Assert.Equal(Hash256.Parse("0x599793be17f212a4712f5e5dba865ec734c89003f406bc46e081675a95131971"), data.DomainSeparator);
        Assert.Equal(Hash256.Parse("0x466a591bc007882121ac7db5e5371bcc4fa5ea9e902cde8646c0abe79b8f6e87"), data.MessageHash);
        Assert.Equal(Hash256.Parse("0x1fd93b3ecc861d490f4f57a53c2d71875c6e7ce9ec882eb80991166fe1646d63"), Eip712.Hash(Permit));

        var castSignature = Hex.Decode("0x12484d0dfa45f0c50cec33a5511cd18439743fb585115707677a32568d88cef0608add265e5b482d231fb07121f24376de39d903c1d784658963ebe9c195b6941b");
        Assert.True(Eip712.TryRecoverSigner(Permit, castSignature, out var signer));
        Assert.Equal(KeyAddress, signer);
        using var key = EthKey.FromHex("0x4646464646464646464646464646464646464646464646464646464646464646");
        Assert.Equal(castSignature, Eip712.Sign(Permit, key).ToBytes());
    }

    [Fact]
    public void Nested_arrays_and_every_atomic_kind_match_foundry()
    {
        var data = TypedData.Parse(Nested);
        Assert.Equal("Mail(Person from,Person[] to,string contents,bytes attachment,bytes4[2] tags,int8 priority,bool urgent,uint16[][] grid)Person(string name,address[] wallets)",
            data.EncodeType("Mail"));
        var castSignature = Hex.Decode("0x429b16d2da2441891d1a2c476eff64929c1ad107b3dd14032e438d71776623336ade6e6a0c7a003f59c9bb3ab7511b5cc44c10e16bd6e14df74043be5d51482b1c");
        Assert.True(Eip712.TryRecoverSigner(Nested, castSignature, out var signer));
        Assert.Equal(KeyAddress, signer);
    }

    [Fact]
    public void Referenced_types_are_sorted_and_listed_once()
    {
        const string json = """
            {"types":{"Z":[{"name":"b","type":"B[]"},{"name":"a","type":"A"}],"A":[{"name":"b","type":"B"},{"name":"x","type":"uint256"}],"B":[{"name":"z","type":"Z[2]"}]},
             "primaryType":"Z","domain":{"chainId":"0x1"},"message":{}}
            """;
        var data = TypedData.Parse(json);
        Assert.Equal("Z(B[] b,A a)A(B b,uint256 x)B(Z[2] z)", data.EncodeType("Z"));
        Assert.Equal("A(B b,uint256 x)B(Z[2] z)Z(B[] b,A a)", data.EncodeType("A"));
        // EIP712Domain inferred from the domain's fields when not declared.
        Assert.Equal("EIP712Domain(uint256 chainId)", data.EncodeType("EIP712Domain"));
    }

    [Fact]
    public void Domain_only_documents_hash_without_a_message_part()
    {
        const string json = """{"types":{},"primaryType":"EIP712Domain","domain":{"name":"X"}}""";
        var data = TypedData.Parse(json);
        var expected = Keccak256.Compute([0x19, 0x01, .. data.DomainSeparator.Bytes]);
        Assert.Equal(expected, data.SigningHash());
    }

    [Theory]
    [InlineData("not json", "JSON")]
    [InlineData("""{"types":{},"domain":{}}""", "primaryType")]
    [InlineData("""{"types":{"M":[{"name":"a","type":"Unknown"}]},"primaryType":"M","domain":{},"message":{}}""", "unknown type")]
    [InlineData("""{"types":{"M":[{"name":"a","type":"uint7"}]},"primaryType":"M","domain":{},"message":{"a":1}}""", "unknown type")]
    [InlineData("""{"types":{"M":[{"name":"a","type":"uint256"},{"name":"a","type":"bool"}]},"primaryType":"M","domain":{},"message":{}}""", "twice")]
    [InlineData("""{"types":{"M":[{"name":"a","type":"uint8"}]},"primaryType":"M","domain":{},"message":{"a":256}}""", "does not fit")]
    [InlineData("""{"types":{"M":[{"name":"a","type":"int8"}]},"primaryType":"M","domain":{},"message":{"a":-129}}""", "does not fit")]
    [InlineData("""{"types":{"M":[{"name":"a","type":"uint256"}]},"primaryType":"M","domain":{},"message":{"a":-1}}""", "does not fit")]
    [InlineData("""{"types":{"M":[{"name":"a","type":"uint256"}]},"primaryType":"M","domain":{},"message":{"a":1.5}}""", "not an integer")]
    [InlineData("""{"types":{"M":[{"name":"a","type":"uint256"}]},"primaryType":"M","domain":{},"message":{}}""", "missing \"a\"")]
    [InlineData("""{"types":{"M":[{"name":"a","type":"address"}]},"primaryType":"M","domain":{},"message":{"a":"0x1234"}}""", "20-byte")]
    [InlineData("""{"types":{"M":[{"name":"a","type":"bytes4"}]},"primaryType":"M","domain":{},"message":{"a":"0x01"}}""", "exactly 4 bytes")]
    [InlineData("""{"types":{"M":[{"name":"a","type":"bytes"}]},"primaryType":"M","domain":{},"message":{"a":"zz"}}""", "hex")]
    [InlineData("""{"types":{"M":[{"name":"a","type":"uint8[2]"}]},"primaryType":"M","domain":{},"message":{"a":[1]}}""", "2 elements")]
    [InlineData("""{"types":{"M":[{"name":"a","type":"uint8[x]"}]},"primaryType":"M","domain":{},"message":{"a":[1]}}""", "malformed")]
    [InlineData("""{"types":{"M":[{"name":"a","type":"bool"}]},"primaryType":"M","domain":{},"message":{"a":1}}""", "boolean")]
    [InlineData("""{"types":{},"primaryType":"M","domain":{"name":"x"},"message":{}}""", "not defined")]
    [InlineData("""{"types":{},"primaryType":"EIP712Domain","domain":{"color":"red"}}""", "not a standard")]
    public void Bad_documents_are_rejected_with_a_reason(string json, string expected)
    {
        var e = Assert.Throws<Eip712Exception>(() => Eip712.Hash(json));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Integers_accept_numbers_decimal_and_hex_strings_alike()
    {
        string Doc(string v) => "{\"types\":{\"M\":[{\"name\":\"a\",\"type\":\"int256\"}]},\"primaryType\":\"M\",\"domain\":{},\"message\":{\"a\":" + v + "}}";
        Assert.Equal(Eip712.Hash(Doc("255")), Eip712.Hash(Doc("\"255\"")));
        Assert.Equal(Eip712.Hash(Doc("255")), Eip712.Hash(Doc("\"0xff\"")));
        Assert.Equal(Eip712.Hash(Doc("-1")), Eip712.Hash(Doc("\"-0x1\"")));
        Assert.NotEqual(Eip712.Hash(Doc("-1")), Eip712.Hash(Doc("1")));
        // -1 as int256 is 32 bytes of 0xff.
        var data = TypedData.Parse(Doc("-1"));
        using var doc = System.Text.Json.JsonDocument.Parse("{\"a\":-1}");
        Assert.All(data.EncodeData("M", doc.RootElement)[32..], b => Assert.Equal(0xFF, b));
    }
}

public class Eip712HostileInputTests
{
    private static string Chain(int count)
    {
        var sb = new System.Text.StringBuilder("{\"types\":{");
        for (int i = 0; i < count; i++)
            sb.Append($"\"T{i}\":[{{\"name\":\"n\",\"type\":\"{(i + 1 < count ? $"T{i + 1}[]" : "uint8")}\"}}],");
        sb.Append("\"EIP712Domain\":[]},\"primaryType\":\"T0\",\"domain\":{},\"message\":{\"n\":[]}}");
        return sb.ToString();
    }

    [Fact]
    public void Type_counts_are_capped()
    {
        var data = TypedData.Parse(Chain(TypedData.MaxTypes - 1)); // plus EIP712Domain
        Assert.StartsWith("T0(T1[] n)T1(T2[] n)T10(T11[] n)", data.EncodeType("T0")); // dependencies sorted ordinally
        Assert.False(data.SigningHash().IsZero);
        Assert.Contains("more than", Assert.Throws<Eip712Exception>(() => TypedData.Parse(Chain(TypedData.MaxTypes + 1))).Message);
    }

    [Fact]
    public void Deeply_nested_values_are_refused_not_crashing()
    {
        var json = "{\"types\":{\"M\":[{\"name\":\"a\",\"type\":\"uint8[][]\"}]},\"primaryType\":\"M\",\"domain\":{},\"message\":{\"a\":" + new string('[', 5000) + new string(']', 5000) + "}}";
        Assert.Throws<Eip712Exception>(() => Eip712.Hash(json));
    }
}
