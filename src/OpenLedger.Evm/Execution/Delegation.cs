using OpenLedger.Primitives;

namespace OpenLedger.Evm.Execution;

/// <summary>
/// EIP-7702 delegation designators: an account whose code is 0xef0100 ++ address runs that address's code.
/// Only calls follow the designator (one hop, never a chain); EXTCODE* see the 23 bytes themselves.
/// </summary>
public static class Delegation
{
    public const int Length = 23;
    private static ReadOnlySpan<byte> Prefix => [0xef, 0x01, 0x00];

    public static bool IsDesignator(ReadOnlySpan<byte> code) => code.Length == Length && code[..3].SequenceEqual(Prefix);

    public static bool TryGetTarget(ReadOnlySpan<byte> code, out Address target)
    {
        if (!IsDesignator(code)) { target = default; return false; }
        target = new Address(code[3..]);
        return true;
    }

    public static byte[] Designator(Address target)
    {
        var code = new byte[Length];
        Prefix.CopyTo(code);
        target.Bytes.CopyTo(code.AsSpan(3));
        return code;
    }
}
