using System.Security.Cryptography;
using OpenLedger.Primitives.Crypto;

namespace OpenLedger.Primitives.Tests;

public class Secp256k1Tests
{
    private static Secp256k1Backend NativeBackend =>
        Secp256k1Backend.Native ?? throw new InvalidOperationException("libsecp256k1 did not load: install libsecp256k1-1 (Debian) to run the parity tests");

    private static readonly Secp256k1Backend Managed = Secp256k1Backend.Managed;

    private static byte[] H(string hex) => Hex.Decode(hex);

    [Fact]
    public void Native_library_loads_here()
    {
        Assert.True(Secp256k1.IsNativeAvailable);
        Assert.Equal("libsecp256k1", Secp256k1.Backend.Name);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000001", "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")]
    [InlineData("7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d", "0x008AeEda4D805471dF9b2A5B0f38A0C3bCBA786b")]
    [InlineData("4646464646464646464646464646464646464646464646464646464646464646", "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F")]
    public void Address_from_private_key(string key, string address)
    {
        Assert.Equal(Address.Parse(address), Secp256k1.AddressFromPrivateKey(H(key)));
        foreach (var backend in new[] { NativeBackend, Managed })
        {
            var pub = new byte[64];
            Assert.True(backend.TryCreatePublicKey(H(key), pub));
            Assert.Equal(Address.Parse(address), Secp256k1.PublicKeyToAddress(pub));
        }
    }

    [Fact]
    public void Rfc6979_vector_key_1_satoshi_nakamoto()
    {
        // Widely published secp256k1 RFC 6979 vector (key 1, sha256("Satoshi Nakamoto")), low-s form.
        var hash = SHA256.HashData("Satoshi Nakamoto"u8);
        var key = H("0000000000000000000000000000000000000000000000000000000000000001");
        foreach (var backend in new[] { NativeBackend, Managed })
        {
            var rs = new byte[64];
            Assert.True(backend.TrySign(hash, key, rs, out _));
            Assert.Equal("934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8", Hex.Encode(rs.AsSpan(0, 32), prefix: false));
            Assert.Equal("2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5", Hex.Encode(rs.AsSpan(32), prefix: false));
        }
    }

    [Fact]
    public void Eip155_example_signature()
    {
        // EIP-155's worked example: signing hash and (v=37) r, s for key 0x46...46.
        var sig = Secp256k1.Sign(H("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"), H("4646464646464646464646464646464646464646464646464646464646464646"));
        Assert.Equal(Signature.FromRS(H("28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276"), H("67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"), 0), sig);
    }

    [Fact]
    public void Native_and_managed_sign_recover_and_verify_identically()
    {
        var rng = new Random(12345);
        var native = NativeBackend;
        for (int i = 0; i < 100; i++)
        {
            var key = RandomKey(rng);
            var hash = new byte[32];
            rng.NextBytes(hash);
            if (i % 25 == 0) Array.Fill(hash, (byte)0xFF); // hash >= n exercises the mod-n reduction in the nonce

            var rsNative = new byte[64];
            var rsManaged = new byte[64];
            Assert.True(native.TrySign(hash, key, rsNative, out var recNative));
            Assert.True(Managed.TrySign(hash, key, rsManaged, out var recManaged));
            Assert.Equal(Hex.Encode(rsNative), Hex.Encode(rsManaged));
            Assert.Equal(recNative, recManaged);
            Assert.True(Signature.FromRS(rsNative[..32], rsNative[32..], recNative).IsLowS);

            var pub = new byte[64];
            Assert.True(native.TryCreatePublicKey(key, pub));
            var pubManaged = new byte[64];
            Assert.True(Managed.TryCreatePublicKey(key, pubManaged));
            Assert.Equal(pub, pubManaged);

            var recoveredNative = new byte[64];
            var recoveredManaged = new byte[64];
            Assert.True(native.TryRecover(hash, rsNative, recNative, recoveredNative));
            Assert.True(Managed.TryRecover(hash, rsNative, recNative, recoveredManaged));
            Assert.Equal(pub, recoveredNative);
            Assert.Equal(pub, recoveredManaged);

            Assert.True(native.Verify(hash, rsNative, pub));
            Assert.True(Managed.Verify(hash, rsNative, pub));
            hash[0] ^= 1;
            Assert.False(native.Verify(hash, rsNative, pub));
            Assert.False(Managed.Verify(hash, rsNative, pub));
        }
    }

    [Fact]
    public void Native_and_managed_agree_on_arbitrary_and_edge_case_recovery_inputs()
    {
        var rng = new Random(777);
        var native = NativeBackend;
        var n = H("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        var nMinus1 = H("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140");
        var zero = new byte[32];
        var one = H("0000000000000000000000000000000000000000000000000000000000000001");
        var max = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        byte[][] specials = [zero, one, n, nMinus1, max];

        var cases = new List<(byte[] hash, byte[] r, byte[] s, int recid)>();
        foreach (var r in specials)
        foreach (var s in specials)
        for (int recid = 0; recid < 4; recid++)
            cases.Add((RandomBytes(rng, 32), r, s, recid));
        for (int i = 0; i < 150; i++)
        {
            var r = RandomBytes(rng, 32);
            if (i % 3 == 0) Array.Clear(r, 0, 16); // small r: recovery ids 2/3 (R.x = r + n) become possible
            cases.Add((RandomBytes(rng, 32), r, RandomBytes(rng, 32), i % 4));
        }
        cases.Add((new byte[32], one, one, 0)); // zero hash

        int recovered = 0;
        foreach (var (hash, r, s, recid) in cases)
        {
            var rs = r.Concat(s).ToArray();
            var a = new byte[64];
            var b = new byte[64];
            bool okNative = native.TryRecover(hash, rs, recid, a);
            bool okManaged = Managed.TryRecover(hash, rs, recid, b);
            Assert.True(okNative == okManaged, $"r={Hex.Encode(r)} s={Hex.Encode(s)} recid={recid}: native {okNative}, managed {okManaged}");
            if (okNative)
            {
                Assert.Equal(a, b);
                recovered++;
            }
        }
        Assert.InRange(recovered, 50, cases.Count - 50); // both outcomes were exercised
    }

    [Fact]
    public void Recovery_rejects_out_of_range_r_and_s_and_accepts_high_s()
    {
        var key = H("4646464646464646464646464646464646464646464646464646464646464646");
        var hash = SHA256.HashData("x"u8);
        var sig = Secp256k1.Sign(hash, key);
        var expected = Secp256k1.AddressFromPrivateKey(key);

        Assert.True(Secp256k1.TryRecoverAddress(hash, sig, out var a));
        Assert.Equal(expected, a);

        // (r, n - s) with the other recovery id is the same signature in high-s form: ecrecover accepts it.
        var highS = Secp256k1.N - sig.S;
        Assert.True(Secp256k1.TryRecoverAddress(hash, sig.R, highS, sig.RecoveryId ^ 1, out var b));
        Assert.Equal(expected, b);
        // ... but verification (as libsecp256k1's) insists on low s.
        var pub = Secp256k1.PublicKeyFromPrivateKey(key);
        Assert.True(Secp256k1.Verify(hash, sig, pub));
        Assert.False(Secp256k1.Verify(hash, new Signature(sig.R, highS, sig.RecoveryId ^ 1), pub));
        Assert.False(Managed.Verify(hash, new Signature(sig.R, highS, 0).ToBytes()[..64], pub));

        Assert.False(Secp256k1.TryRecoverAddress(hash, UInt256.Zero, sig.S, sig.RecoveryId, out _));
        Assert.False(Secp256k1.TryRecoverAddress(hash, sig.R, UInt256.Zero, sig.RecoveryId, out _));
        Assert.False(Secp256k1.TryRecoverAddress(hash, Secp256k1.N, sig.S, sig.RecoveryId, out _));
        Assert.False(Secp256k1.TryRecoverAddress(hash, sig.R, Secp256k1.N, sig.RecoveryId, out _));
        Assert.False(Secp256k1.TryRecoverAddress(hash, sig.R, sig.S, 4, out _));
        Assert.False(Secp256k1.TryRecoverAddress(hash, sig.R, sig.S, -1, out _));
    }

    [Fact]
    public void Invalid_private_keys_are_rejected_by_both_backends()
    {
        var zero = new byte[32];
        var n = H("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        var nMinus1 = H("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140");
        foreach (var backend in new[] { NativeBackend, Managed })
        {
            Assert.False(backend.IsValidPrivateKey(zero));
            Assert.False(backend.IsValidPrivateKey(n));
            Assert.True(backend.IsValidPrivateKey(nMinus1));
            Assert.False(backend.TrySign(new byte[32], n, new byte[64], out _));
            Assert.False(backend.TryCreatePublicKey(zero, new byte[64]));
        }
        Assert.Throws<ArgumentException>(() => Secp256k1.Sign(new byte[32], zero));
        Assert.Throws<ArgumentException>(() => Secp256k1.Sign(new byte[31], nMinus1));
        Assert.Throws<ArgumentException>(() => Secp256k1.PublicKeyFromPrivateKey(n));
        Assert.Throws<ArgumentException>(() => new EthKey(new byte[32]));
        Assert.False(Secp256k1.IsValidPrivateKey(new byte[33]));
    }

    [Fact]
    public void Verify_rejects_points_off_the_curve()
    {
        var key = H("4646464646464646464646464646464646464646464646464646464646464646");
        var hash = SHA256.HashData("y"u8);
        var sig = Secp256k1.Sign(hash, key).ToBytes()[..64];
        var pub = Secp256k1.PublicKeyFromPrivateKey(key);
        pub[63] ^= 1;
        Assert.False(NativeBackend.Verify(hash, sig, pub));
        Assert.False(Managed.Verify(hash, sig, pub));
    }

    [Fact]
    public void Concurrent_signing_and_recovery_match_sequential_results()
    {
        var inputs = Enumerable.Range(0, 400).Select(i =>
        {
            var k = new byte[32];
            k[31] = 1;
            k[0] = (byte)i;
            k[1] = (byte)(i >> 8);
            return (key: k, hash: SHA256.HashData(BitConverter.GetBytes(i)));
        }).ToArray();
        var expected = inputs.Select(x => Secp256k1.Sign(x.hash, x.key)).ToArray();
        var results = new Signature[inputs.Length];
        var addresses = new Address[inputs.Length];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            results[i] = Secp256k1.Sign(inputs[i].hash, inputs[i].key);
            Secp256k1.TryRecoverAddress(inputs[i].hash, results[i], out addresses[i]);
        });
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(expected[i], results[i]);
            Assert.Equal(Secp256k1.AddressFromPrivateKey(inputs[i].key), addresses[i]);
        }
    }

    [Fact]
    public void EthKey_generates_signs_and_wipes()
    {
        var key = EthKey.Generate();
        var other = EthKey.Generate();
        Assert.NotEqual(key.Address, other.Address);
        var hash = Keccak256.Compute("hello"u8);
        var sig = key.Sign(hash);
        Assert.True(Secp256k1.TryRecoverAddress(hash.Bytes, sig, out var recovered));
        Assert.Equal(key.Address, recovered);
        Assert.True(Secp256k1.Verify(hash.Bytes, sig, key.PublicKey));
        Assert.Equal(key.Address.ToString(), key.ToString());

        var exported = key.ExportPrivateKey();
        using (var copy = new EthKey(exported))
            Assert.Equal(key.Address, copy.Address);
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Sign(hash));
        Assert.Throws<ObjectDisposedException>(() => key.ExportPrivateKey());
    }

    [Fact]
    public void Signature_65_byte_form_round_trips()
    {
        var sig = Secp256k1.Sign(Keccak256.Compute("z"u8).Bytes, H("4646464646464646464646464646464646464646464646464646464646464646"));
        var bytes = sig.ToBytes();
        Assert.Equal(65, bytes.Length);
        Assert.Equal(27 + sig.RecoveryId, bytes[64]);
        Assert.Equal(sig, Signature.FromBytes(bytes));
        bytes[64] = (byte)sig.RecoveryId;
        Assert.Equal(sig, Signature.FromBytes(bytes));
        bytes[64] = 29;
        Assert.Throws<ArgumentException>(() => Signature.FromBytes(bytes));
        Assert.Throws<ArgumentException>(() => Signature.FromBytes(new byte[64]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Signature(UInt256.One, UInt256.One, 4));
    }

    private static byte[] RandomBytes(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }

    private static byte[] RandomKey(Random rng)
    {
        while (true)
        {
            var k = RandomBytes(rng, 32);
            if (Managed.IsValidPrivateKey(k)) return k;
        }
    }
}
