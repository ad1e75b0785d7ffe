using System.Numerics;
using System.Security.Cryptography;
using OpenLedger.Evm;
using OpenLedger.Evm.Precompiles;
using OpenLedger.Primitives.Crypto;

namespace OpenLedger.Tools.Benchmarks;

/// <summary>
/// One precompile call to time: the precompile, its input, and the exact output a correct implementation returns
/// (known independently of the precompile: a spec vector, BigInteger arithmetic or a standard hash), so a timing can
/// never be of a failure path.
/// </summary>
public sealed record PrecompileWorkload(string Name, string Description, IPrecompile Precompile, byte[] Input, byte[] Expected)
{
    /// <summary>Gas the precompile itself charges for this input.</summary>
    public long Gas => Precompile.GasCost(Input);

    /// <summary>One call; true when it succeeds with exactly the expected output.</summary>
    public bool RunAndCheck() => Precompile.TryRun(Input, out var output) && output.AsSpan().SequenceEqual(Expected);
}

/// <summary>Representative inputs for every precompile; ecrecover (0x01) is the reference for gas pricing.</summary>
public static class PrecompileWorkloads
{
    public const string Reference = "ecrecover";

    /// <summary>BN254 base field modulus p.</summary>
    private static readonly BigInteger Bn254P = BigInteger.Parse("21888242871839275222246405745257275088696311157297823662689037894645226208583");

    /// <summary>BLS12-381 scalar field modulus r (the second word of the point evaluation output).</summary>
    private static readonly BigInteger Bls12381R = BigInteger.Parse("52435875175126190479447740508185965837690552500527637822603658699938581184513");

    /// <summary>EIP-152 test vector 5 (12 rounds, final block) without its round count.</summary>
    private static readonly string Blake2fBody =
        "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b"
        + "616263" + new string('0', 250)
        + "03000000000000000000000000000000" + "01";

    /// <summary>
    /// A consensus-specs verify_kzg_proof "correct_proof" case (real ceremony setup, nonzero commitment and proof):
    /// versioned hash, z, y, commitment, proof.
    /// </summary>
    private const string KzgCorrectProof =
        "01ad7666ef9d8f53b5adf54f029b13b6f171b1d0bd346a2ede315d3e243484ef73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff000000000000000000000000000000000000000000000000000000000000000000000000" +
        "93efc82d2017e9c57834a1246463e64774e56183bb247c8fc9dd98c56817e878d97b05f5c8d900acf1fbbbca6f14655692c51ff81dd71dab71cefecd79e8274b4b7ba36a0f40e2dc086bc4061c7f63249877db23297212991fd63e07b7ebc348";

    /// <summary>Every workload, ecrecover first; deterministic (fixed seed).</summary>
    public static IReadOnlyList<PrecompileWorkload> All()
    {
        var rng = new Random(2024);
        byte[] Rand(int n)
        {
            var b = new byte[n];
            rng.NextBytes(b);
            return b;
        }

        var list = new List<PrecompileWorkload>();

        // ecrecover: a valid signature over a random hash; recovers the signer's address.
        byte[] key = Rand(32), hash = Rand(32), rs = new byte[64];
        if (!Secp256k1.Backend.TrySign(hash, key, rs, out int recId)) throw new InvalidOperationException("signing failed");
        list.Add(new(Reference, "0x01 valid signature", new EcRecoverPrecompile(), [.. hash, .. Word(27 + recId), .. rs],
            [.. new byte[12], .. Secp256k1.AddressFromPrivateKey(key).Bytes]));

        // hashes and identity on 1 KiB.
        byte[] kib = new byte[1024];
        for (int i = 0; i < kib.Length; i++) kib[i] = (byte)i;
        list.Add(new("sha256", "0x02 1 KiB", new Sha256Precompile(), kib, SHA256.HashData(kib)));
        // RIPEMD-160 of bytes 0..255 repeated four times (Python hashlib), left-padded to a word.
        list.Add(new("ripemd160", "0x03 1 KiB", new Ripemd160Precompile(), kib,
            [.. new byte[12], .. Convert.FromHexString("29ea7f13cac242905ae2dc1a36d5985815b30356")]));
        list.Add(new("identity", "0x04 1 KiB", new IdentityPrecompile(), kib, kib));

        // modexp: base, exponent and an odd modulus all of the given size (top bits set so the size is exact).
        foreach (int bits in new[] { 256, 1024, 2048 })
        {
            int bytes = bits / 8;
            byte[] m = Rand(bytes), b = Rand(bytes), e = Rand(bytes);
            m[0] |= 0x80;
            m[^1] |= 1;
            e[0] |= 0x80;
            var r = BigInteger.ModPow(Unsigned(b), Unsigned(e), Unsigned(m));
            list.Add(new($"modexp{bits}", $"0x05 {bits}-bit base, exponent and odd modulus", new ModExpPrecompile(),
                [.. Word(bytes), .. Word(bytes), .. Word(bytes), .. b, .. e, .. m], Fixed(r, bytes)));
        }

        // modexp shapes the gas formula charges least per unit of work: a 4096-bit modulus with a one-byte exponent
        // (7 products charged), a one-byte and a 128-bit modulus at the 200-gas minimum with long exponents, and an
        // even 2048-bit modulus (the CRT split).
        foreach (var (name, desc, bl, el, ml, even, expFill) in new (string, string, int, int, int, bool, byte)[]
        {
            ("modexp_shortexp", "0x05 4096-bit base and modulus, exponent 0xff", 512, 1, 512, false, 0xff),
            ("modexp_tinymod", "0x05 8-bit modulus, 256-bit exponent of ones (200 gas)", 1, 32, 1, false, 0xff),
            ("modexp_mod128", "0x05 128-bit base, exponent and modulus (200 gas)", 16, 16, 16, false, 0),
            ("modexp_even2048", "0x05 2048-bit operands, even modulus", 256, 256, 256, true, 0),
        })
        {
            byte[] m = Rand(ml), b = Rand(bl), e = Rand(el);
            if (expFill != 0) Array.Fill(e, expFill);
            m[0] |= 0x80;
            if (even) m[^1] &= 0xf0;
            else m[^1] |= 1;
            e[0] |= 0x80;
            var r = BigInteger.ModPow(Unsigned(b), Unsigned(e), Unsigned(m));
            list.Add(new(name, desc, new ModExpPrecompile(), [.. Word(bl), .. Word(el), .. Word(ml), .. b, .. e, .. m], Fixed(r, ml)));
        }

        // alt_bn128: G1 generator G = (1, 2); expected points from affine BigInteger arithmetic.
        var g = (X: BigInteger.One, Y: new BigInteger(2));
        var g2x = Bn254Double(g);
        byte[] scalar = Rand(32);
        list.Add(new("bn254_add", "0x06 G + 2G", new Bn254AddPrecompile(), [.. Point(g), .. Point(g2x)], Point(Bn254Add(g, g2x))));
        list.Add(new("bn254_mul", "0x07 2G x random 256-bit scalar", new Bn254MulPrecompile(), [.. Point(g2x), .. scalar],
            Point(Bn254Mul(g2x, Unsigned(scalar)))));

        // Pairing: e(G, H) e(-G, H) = 1 with H the EIP-197 G2 generator, once or twice over.
        byte[] h =
        [
            .. Word(BigInteger.Parse("11559732032986387107991004021392285783925812861821192530917403151452391805634")),
            .. Word(BigInteger.Parse("10857046999023057135944570762232829481370756359578518086990519993285655852781")),
            .. Word(BigInteger.Parse("4082367875863433681332203403145435568316851327593401208105741076214120093531")),
            .. Word(BigInteger.Parse("8495653923123431417604973247489272438418190587263600148770280649306958101930")),
        ];
        byte[] twoPairs = [.. Point(g), .. h, .. Point((g.X, Bn254P - g.Y)), .. h];
        list.Add(new("bn254_pairing2", "0x08 2 pairs, e(G,H)e(-G,H) = 1", new Bn254PairingPrecompile(), twoPairs, Word(1)));
        list.Add(new("bn254_pairing4", "0x08 4 pairs, true check", new Bn254PairingPrecompile(), [.. twoPairs, .. twoPairs], Word(1)));

        // blake2f: EIP-152 vector 5 at 12 rounds (its published output), and long round counts (outputs from an
        // independent straight-from-RFC-7693 implementation) to show the per-round rate holds.
        var blake = new Blake2fPrecompile();
        list.Add(new("blake2f_12", "0x09 EIP-152 vector 5, 12 rounds", blake, Blake2fInput(12), Convert.FromHexString(
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")));
        list.Add(new("blake2f_1k", "0x09 vector 5 with 1,000 rounds", blake, Blake2fInput(1000), Convert.FromHexString(
            "f92ac5126772237de3d2353169fe7697d4af3af4382778b05c7bb12e48903fbecefe56df2b901796d385e58cf759690a1bbec1aa9d95b5fa3ee79a575f116915")));
        list.Add(new("blake2f_100k", "0x09 vector 5 with 100,000 rounds", blake, Blake2fInput(100_000), Convert.FromHexString(
            "165da71a32e91bca2623bfaeab079f7e6edfba2259028cc854ec497f9fb0fe75d37f63034b83f4a0a07cd238483874862921ef0c40630826a76e41bf3b02ffe3")));

        // point evaluation: a correct proof returns FIELD_ELEMENTS_PER_BLOB and the BLS modulus.
        list.Add(new("point_evaluation", "0x0a KZG correct proof, nonzero commitment", new PointEvaluationPrecompile(),
            Convert.FromHexString(KzgCorrectProof), [.. Word(4096), .. Word(Bls12381R)]));

        AddBls12381(list, Rand);

        // P256VERIFY: a signature by a fresh P-256 key over a random hash; it verifies.
        using (var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            byte[] digest = Rand(32);
            byte[] sig = p256.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            var q = p256.ExportParameters(false).Q;
            list.Add(new("p256verify", "0x100 valid secp256r1 signature", new P256VerifyPrecompile(), [.. digest, .. sig, .. q.X!, .. q.Y!], Word(1)));
        }
        return list;
    }

    /// <summary>
    /// EIP-2537: one EIP vector per precompile, and MSMs at the largest discount (k = 129: 64 points each with a
    /// scalar s and with r - s, which cancel, then the generator once, so the sum is the generator).
    /// </summary>
    private static void AddBls12381(List<PrecompileWorkload> list, Func<int, byte[]> rand)
    {
        static byte[] H(string hex) => Convert.FromHexString(hex);
        list.Add(new("bls_g1add", "0x0b EIP vector g1+p1", new Bls12381G1AddPrecompile(), H(Bls12381Vectors.G1AddInput), H(Bls12381Vectors.G1AddExpected)));
        var g1msm = new Bls12381G1MsmPrecompile();
        list.Add(new("bls_g1msm1", "0x0c 1 pair, EIP vector random*p1", g1msm, H(Bls12381Vectors.G1MulInput), H(Bls12381Vectors.G1MulExpected)));
        list.Add(new("bls_g1msm7", "0x0c 7 pairs, EIP vector", g1msm, H(Bls12381Vectors.G1Msm7Input), H(Bls12381Vectors.G1Msm7Expected)));
        list.Add(new("bls_g1msm129", "0x0c 129 pairs (max discount), sum = G1", g1msm,
            CancellingMsm(g1msm, H(Bls12381Vectors.G1Generator), rand), H(Bls12381Vectors.G1Generator)));
        list.Add(new("bls_g2add", "0x0d EIP vector g2+p2", new Bls12381G2AddPrecompile(), H(Bls12381Vectors.G2AddInput), H(Bls12381Vectors.G2AddExpected)));
        var g2msm = new Bls12381G2MsmPrecompile();
        list.Add(new("bls_g2msm1", "0x0e 1 pair, EIP vector random*p2", g2msm, H(Bls12381Vectors.G2MulInput), H(Bls12381Vectors.G2MulExpected)));
        list.Add(new("bls_g2msm129", "0x0e 129 pairs (max discount), sum = G2", g2msm,
            CancellingMsm(g2msm, H(Bls12381Vectors.G2Generator), rand), H(Bls12381Vectors.G2Generator)));
        list.Add(new("bls_pairing2", "0x0f 2 pairs, EIP vector e(aG1,bG2)=e(abG1,G2)", new Bls12381PairingPrecompile(),
            H(Bls12381Vectors.Pairing2Input), H(Bls12381Vectors.Pairing2Expected)));
        list.Add(new("bls_map_g1", "0x10 EIP vector (RFC 9380 \"abc\")", new Bls12381MapFpToG1Precompile(), H(Bls12381Vectors.MapG1Input), H(Bls12381Vectors.MapG1Expected)));
        list.Add(new("bls_map_g2", "0x11 EIP vector (RFC 9380 \"abc\")", new Bls12381MapFp2ToG2Precompile(), H(Bls12381Vectors.MapG2Input), H(Bls12381Vectors.MapG2Expected)));
    }

    /// <summary>
    /// 64 random subgroup points, each twice with scalars s and r - s, then the generator with scalar 1. The points
    /// are made by the MSM precompile itself (random multiples of the generator); the expected sum needs no arithmetic.
    /// </summary>
    private static byte[] CancellingMsm(IPrecompile msm, byte[] generator, Func<int, byte[]> rand)
    {
        var input = new List<byte>();
        for (int i = 0; i < 64; i++)
        {
            if (!msm.TryRun([.. generator, .. rand(32)], out var point)) throw new InvalidOperationException("MSM failed preparing a point");
            BigInteger s = Unsigned(rand(32)) % Bls12381R;
            input.AddRange([.. point, .. Word(s), .. point, .. Word(Bls12381R - s)]);
        }
        input.AddRange([.. generator, .. Word(1)]);
        return [.. input];
    }

    private static byte[] Blake2fInput(uint rounds) =>
        [(byte)(rounds >> 24), (byte)(rounds >> 16), (byte)(rounds >> 8), (byte)rounds, .. Convert.FromHexString(Blake2fBody)];

    private static BigInteger Unsigned(byte[] bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    private static byte[] Word(BigInteger v) => Fixed(v, 32);

    private static byte[] Fixed(BigInteger v, int size)
    {
        var w = new byte[size];
        var b = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        b.CopyTo(w, size - b.Length);
        return w;
    }

    private static byte[] Point((BigInteger X, BigInteger Y) p) => [.. Word(p.X), .. Word(p.Y)];

    // Affine short-Weierstrass arithmetic on y^2 = x^3 + 3 mod p, only to derive expected outputs (no infinity:
    // the inputs here never meet it).
    private static BigInteger Mod(BigInteger a) => ((a % Bn254P) + Bn254P) % Bn254P;
    private static BigInteger Inv(BigInteger a) => BigInteger.ModPow(Mod(a), Bn254P - 2, Bn254P);

    private static (BigInteger X, BigInteger Y) Bn254Double((BigInteger X, BigInteger Y) a) =>
        Line(a, a, Mod(3 * a.X * a.X * Inv(2 * a.Y)));

    private static (BigInteger X, BigInteger Y) Bn254Add((BigInteger X, BigInteger Y) a, (BigInteger X, BigInteger Y) b) =>
        a == b ? Bn254Double(a) : Line(a, b, Mod((b.Y - a.Y) * Inv(b.X - a.X)));

    private static (BigInteger X, BigInteger Y) Line((BigInteger X, BigInteger Y) a, (BigInteger X, BigInteger Y) b, BigInteger slope)
    {
        var x = Mod(slope * slope - a.X - b.X);
        return (x, Mod(slope * (a.X - x) - a.Y));
    }

    private static (BigInteger X, BigInteger Y) Bn254Mul((BigInteger X, BigInteger Y) p, BigInteger k)
    {
        // Double-and-add from the top bit. A partial multiple hits infinity (or P, -P) only if a prefix of k is within
        // one of a multiple of the group order: not the case for the fixed-seed scalar used here (tests run it).
        (BigInteger X, BigInteger Y)? acc = null;
        for (int i = (int)k.GetBitLength() - 1; i >= 0; i--)
        {
            if (acc is { } a) acc = Bn254Double(a);
            if (((k >> i) & 1) == 1) acc = acc is { } c ? Bn254Add(c, p) : p;
        }
        return acc ?? throw new InvalidOperationException("zero scalar");
    }
}
