using System.Numerics;
using System.Security.Cryptography;
using OpenLedger.Crypto.Bls12381;

namespace OpenLedger.Evm.Precompiles;

/// <summary>
/// 0x0a KZG point evaluation (EIP-4844). Input: versioned_hash(32) z(32) y(32) commitment(48) proof(48).
/// Succeeds with FIELD_ELEMENTS_PER_BLOB and BLS_MODULUS as two 32-byte words when the proof verifies.
/// </summary>
public sealed class PointEvaluationPrecompile : IPrecompile
{
    public const int FieldElementsPerBlob = 4096;
    private const byte VersionedHashVersionKzg = 0x01;

    private static readonly byte[] SuccessOutput = BuildOutput();

    public int AddressIndex => 0x0a;

    public long GasCost(ReadOnlySpan<byte> input) => 50000;

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        try
        {
            if (input.Length != 192) return false;
            ReadOnlySpan<byte> versionedHash = input[..32], z = input.Slice(32, 32), y = input.Slice(64, 32);
            ReadOnlySpan<byte> commitment = input.Slice(96, 48), proof = input.Slice(144, 48);

            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(commitment, hash);
            hash[0] = VersionedHashVersionKzg;
            if (!hash.SequenceEqual(versionedHash)) return false;

            if (!IsCanonicalScalar(z) || !IsCanonicalScalar(y)) return false;
            if (!Bls12381Curve.TryDecompressG1(commitment, out var c) || !Bls12381Curve.TryDecompressG1(proof, out var pi)) return false;
            if (!KzgVerifier.Verify(c, z, y, pi)) return false;
            output = (byte[])SuccessOutput.Clone();
            return true;
        }
        catch (Exception)
        {
            output = [];
            return false;
        }
    }

    private static readonly byte[] ModulusBe = Bls12381Curve.OrderBytes;

    /// <summary>Below the group order r; equal-length big-endian byte strings compare in numeric order.</summary>
    private static bool IsCanonicalScalar(ReadOnlySpan<byte> be) => be.SequenceCompareTo(ModulusBe) < 0;

    private static byte[] BuildOutput()
    {
        var o = new byte[64];
        o[30] = FieldElementsPerBlob >> 8;
        byte[] r = Bls12381Curve.R.ToByteArray(isUnsigned: true, isBigEndian: true);
        r.CopyTo(o, 64 - r.Length);
        return o;
    }
}
