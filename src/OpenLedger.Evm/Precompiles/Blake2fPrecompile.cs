using OpenLedger.Crypto.Blake2;
using System.Buffers.Binary;

namespace OpenLedger.Evm.Precompiles;

/// <summary>
/// 0x09 BLAKE2 compression function F (EIP-152). Input is exactly 213 bytes: rounds (4, big-endian), h (64), m (128),
/// t (16), final flag (1, must be 0 or 1); words are little-endian. Gas is one per round.
/// </summary>
public sealed class Blake2fPrecompile : IPrecompile
{
    private const int InputLength = 213;

    public int AddressIndex => 0x09;

    /// <summary>One gas per round; a malformed input costs nothing here and fails in <see cref="TryRun"/>.</summary>
    public long GasCost(ReadOnlySpan<byte> input) =>
        input.Length == InputLength ? BinaryPrimitives.ReadUInt32BigEndian(input) : 0;

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        if (input.Length != InputLength || input[212] > 1)
        {
            output = [];
            return false;
        }
        // The only allocation is the 64-byte result; the words are parsed straight from the input.
        output = new byte[64];
        Blake2bCompression.Compress(
            input.Slice(4, 64),
            input.Slice(68, 128),
            BinaryPrimitives.ReadUInt64LittleEndian(input.Slice(196, 8)),
            BinaryPrimitives.ReadUInt64LittleEndian(input.Slice(204, 8)),
            input[212] == 1,
            BinaryPrimitives.ReadUInt32BigEndian(input),
            output);
        return true;
    }
}
