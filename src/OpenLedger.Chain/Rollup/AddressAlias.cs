using System.Numerics;
using OpenLedger.Primitives;

namespace OpenLedger.Chain.Rollup;

/// <summary>
/// OP Stack's L1 → L2 address aliasing (specs: deposits.md, "Address Aliasing"): a deposit sent by an L1 contract
/// comes from <c>l1 + 0x1111000000000000000000000000000000001111</c> (mod 2^160) on L2, so an L1 contract cannot pose as
/// the L2 account at its own address. L2 contracts governed from L1 are owned by the aliased address of the L1 governor.
/// </summary>
public static class AddressAlias
{
    private static readonly BigInteger Offset = BigInteger.Parse("01111000000000000000000000000000000001111", System.Globalization.NumberStyles.HexNumber);
    private static readonly BigInteger Modulus = BigInteger.One << 160;

    /// <summary>The L2 sender of deposits made by the L1 contract <paramref name="l1"/>.</summary>
    public static Address ApplyL1ToL2(Address l1) => FromInteger(ToInteger(l1) + Offset);

    /// <summary>The L1 contract whose deposits come from <paramref name="l2"/>.</summary>
    public static Address UndoL1ToL2(Address l2) => FromInteger(ToInteger(l2) - Offset + Modulus);

    private static BigInteger ToInteger(Address a) => new(a.Bytes, isUnsigned: true, isBigEndian: true);

    private static Address FromInteger(BigInteger v)
    {
        var bytes = (v % Modulus).ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[20];
        bytes.CopyTo(padded.AsSpan(20 - bytes.Length));
        return new Address(padded);
    }
}
