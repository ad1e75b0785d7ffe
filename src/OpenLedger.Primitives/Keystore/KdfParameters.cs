namespace OpenLedger.Primitives.Keystore;

/// <summary>Key-derivation settings of a Web3 Secret Storage file; validated on construction.</summary>
public abstract record KdfParameters
{
    /// <summary>The "kdf" name written to the file.</summary>
    public abstract string Name { get; }

    /// <summary>Derived-key length; the format needs at least 32 (16 for AES, 16 for the MAC).</summary>
    public int DkLen { get; }

    public byte[] Salt { get; }

    // No real keystore uses more; the bounds keep a hostile file from requesting unbounded work.
    public const int MaxDkLen = 128;
    public const int MaxSaltLength = 1024;

    protected KdfParameters(int dkLen, byte[] salt)
    {
        if (dkLen < 32 || dkLen > MaxDkLen) throw new KeystoreException($"kdfparams.dklen {dkLen} out of range [32, {MaxDkLen}]");
        if (salt.Length == 0 || salt.Length > MaxSaltLength) throw new KeystoreException($"kdfparams.salt length {salt.Length} out of range [1, {MaxSaltLength}]");
        DkLen = dkLen;
        Salt = salt;
    }

    /// <summary>Derives <see cref="DkLen"/> bytes from the UTF-8 password.</summary>
    public abstract byte[] Derive(ReadOnlySpan<byte> password);
}

/// <summary>scrypt (RFC 7914). Memory is 128·n·r bytes, work grows with n·r·p: both are capped.</summary>
public sealed record ScryptParameters : KdfParameters
{
    /// <summary>1 GiB of working memory (geth's "standard" setting uses 256 MiB).</summary>
    public const long MaxMemoryBytes = 1L << 30;

    /// <summary>8x the work of geth's standard setting (n=2^18, r=8, p=1).</summary>
    public const long MaxWork = 1L << 24;

    public int N { get; }
    public int R { get; }
    public int P { get; }

    public override string Name => "scrypt";

    public ScryptParameters(int n, int r, int p, int dkLen, byte[] salt) : base(dkLen, salt)
    {
        if (n < 2 || (n & (n - 1)) != 0) throw new KeystoreException($"scrypt n {n} must be a power of two >= 2");
        if (r < 1) throw new KeystoreException($"scrypt r {r} must be >= 1");
        if (p < 1) throw new KeystoreException($"scrypt p {p} must be >= 1");
        long memory = 128L * n * r;
        if (memory > MaxMemoryBytes)
            throw new KeystoreException($"scrypt n={n}, r={r} needs {memory >> 20} MiB, more than the {MaxMemoryBytes >> 20} MiB allowed");
        if ((long)n * r * p > MaxWork)
            throw new KeystoreException($"scrypt n·r·p = {(long)n * r * p} exceeds the allowed work {MaxWork}");
        N = n;
        R = r;
        P = p;
    }

    public override byte[] Derive(ReadOnlySpan<byte> password) => Scrypt.Derive(password, Salt, N, R, P, DkLen);
}

/// <summary>PBKDF2 with HMAC-SHA256, the only PRF the format defines.</summary>
public sealed record Pbkdf2Parameters : KdfParameters
{
    public const int MaxIterations = 10_000_000;

    public int C { get; }

    public override string Name => "pbkdf2";

    public Pbkdf2Parameters(int c, int dkLen, byte[] salt) : base(dkLen, salt)
    {
        if (c < 1 || c > MaxIterations) throw new KeystoreException($"pbkdf2 c {c} out of range [1, {MaxIterations}]");
        C = c;
    }

    public override byte[] Derive(ReadOnlySpan<byte> password) =>
        System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(password, Salt, C, System.Security.Cryptography.HashAlgorithmName.SHA256, DkLen);
}
