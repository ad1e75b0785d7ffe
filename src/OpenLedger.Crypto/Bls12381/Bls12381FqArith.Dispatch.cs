using System.Runtime.CompilerServices;
using OpenLedger.Crypto.FieldMath;

namespace OpenLedger.Crypto.Bls12381;

// The entry points: the assembly kernels where NativeFq has them loaded, the managed code otherwise. Same contracts
// (inputs below p unless a method says otherwise, outputs below p, outputs may alias inputs).
internal static partial class Bls12381FqArith
{
    /// <summary>r = a*b/R mod p; a and b below 2p (a*b &lt; pR), the result below p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Mul(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        if (NativeFq.Enabled) NativeFq.Mul(ref r, a, b);
        else MulManaged(ref r, a, b);
    }

    /// <summary>r = a^2/R mod p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Square(ref Limbs6 r, in Limbs6 a)
    {
        if (NativeFq.Enabled) NativeFq.Mul(ref r, a, a);
        else SquareManaged(ref r, a);
    }

    /// <summary>r = a + b mod p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        if (NativeFq.Enabled) NativeFq.Add(ref r, a, b);
        else AddManaged(ref r, a, b);
    }

    /// <summary>r = a - b mod p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sub(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        if (NativeFq.Enabled) NativeFq.Sub(ref r, a, b);
        else SubManaged(ref r, a, b);
    }

    /// <summary>r = (a*b + c*d)/R mod p, under the bounds of <see cref="SumOfProductsManaged"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void SumOfProducts(out Limbs6 r, in Limbs6 a, in Limbs6 b, in Limbs6 c, in Limbs6 d)
    {
        if (NativeFq.Enabled)
        {
            r = default;
            NativeFq.SumOfProducts(ref r, a, b, c, d);
        }
        else SumOfProductsManaged(out r, a, b, c, d);
    }

    /// <summary>(r0 + r1 u) = (a0 + a1 u)(b0 + b1 u).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Fp2Mul(ref Limbs6 r0, ref Limbs6 r1, in Limbs6 a0, in Limbs6 a1, in Limbs6 b0, in Limbs6 b1)
    {
        if (NativeFq.Enabled) NativeFq.Fp2Mul(ref r0, ref r1, a0, a1, b0, b1);
        else Fp2MulManaged(ref r0, ref r1, a0, a1, b0, b1);
    }

    /// <summary>(r0 + r1 u) = (a0 + a1 u)^2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Fp2Square(ref Limbs6 r0, ref Limbs6 r1, in Limbs6 a0, in Limbs6 a1)
    {
        if (NativeFq.Enabled) NativeFq.Fp2Square(ref r0, ref r1, a0, a1);
        else Fp2SquareManaged(ref r0, ref r1, a0, a1);
    }

    /// <summary>The Fp4 square of <see cref="Fp4SquareManaged"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Fp4Square(ref Limbs6 c00, ref Limbs6 c01, ref Limbs6 c10, ref Limbs6 c11, in Limbs6 a0, in Limbs6 a1, in Limbs6 b0, in Limbs6 b1)
    {
        if (NativeFq.Enabled) NativeFq.Fp4Square(ref c00, ref c01, ref c10, ref c11, a0, a1, b0, b1);
        else Fp4SquareManaged(ref c00, ref c01, ref c10, ref c11, a0, a1, b0, b1);
    }
}
