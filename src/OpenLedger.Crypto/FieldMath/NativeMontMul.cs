using System.Runtime.CompilerServices;

namespace OpenLedger.Crypto.FieldMath;

/// <summary>
/// The Montgomery product for any odd modulus (modexp, 0x05) in x86-64 assembly: ol_mont_mul in
/// Native/field_kernels_x86_64.s, with the mulx/adcx/adox carry chains, about 3x the managed
/// <see cref="LimbArith.MontMul"/>. Used where <see cref="NativeFieldLibrary"/> loaded and a self-check against the
/// managed product passes; <see cref="Enabled"/> switches it off for the tests.
/// </summary>
internal static unsafe class NativeMontMul
{
    internal static bool Enabled;

    internal static string? DisabledReason { get; private set; }

    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, nint, ulong*, ulong, void> MulFn;
    private static delegate* unmanaged<ulong*, ulong*, ulong*, ulong*, nint, ulong*, ulong, void> MulFnWithTransition;

    /// <summary>Above this many limbs a product takes microseconds, so the call lets a garbage collection proceed
    /// meanwhile (the operands stay pinned) instead of holding it off.</summary>
    private const int SuppressTransitionLimbs = 32;

    /// <summary>True when the kernel loaded and passed its self-check (whatever <see cref="Enabled"/> says now).</summary>
    internal static readonly bool Available = Initialize();

    internal static bool EnsureInitialized() => Available;

    /// <summary>Scratch limbs <see cref="Mul"/> needs for an n-limb modulus (the managed product needs fewer).</summary>
    public static int ScratchLimbs(int n) => 2 * n + 2;

    private static bool Initialize()
    {
        DisabledReason = NativeFieldLibrary.DisabledReason;
        if (DisabledReason is not null) return false;
        var exports = new NativeFieldLibrary.Exports();
        nint address = exports["ol_mont_mul"];
        MulFn = (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong*, ulong*, nint, ulong*, ulong, void>)address;
        MulFnWithTransition = (delegate* unmanaged<ulong*, ulong*, ulong*, ulong*, nint, ulong*, ulong, void>)address;
        if (exports.Missing is not null)
        {
            DisabledReason = $"{NativeFieldLibrary.FileName} lacks {exports.Missing} (a stale build?)";
            return false;
        }
        if (!SelfCheck())
        {
            DisabledReason = "the native Montgomery product disagrees with the managed one";
            return false;
        }
        Enabled = true;
        return true;
    }

    // Products for 1, 2, 5, 17 and 40 limbs (both call kinds), including a modulus with an all-ones top limb, against LimbArith.MontMul.
    private static bool SelfCheck()
    {
        ulong seed = 0x9e3779b97f4a7c15UL;
        foreach (int n in new[] { 1, 2, 5, 17, 40 })
        {
            var q = new ulong[n];
            var a = new ulong[n];
            var b = new ulong[n];
            for (int i = 0; i < n; i++)
            {
                q[i] = seed = seed * 6364136223846793005UL + 1442695040888963407UL;
                a[i] = seed = seed * 6364136223846793005UL + 1442695040888963407UL;
                b[i] = seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            }
            q[0] |= 1;
            q[n - 1] = n == 5 ? ulong.MaxValue : q[n - 1] | (1UL << 63);
            a[n - 1] >>= 1; // below q
            b[n - 1] >>= 1;
            ulong n0 = LimbArith.NegInverse64(q[0]);
            var expected = new ulong[n];
            LimbArith.MontMul(expected, a, b, q, n0, new ulong[n + 2]);
            var actual = new ulong[n];
            Mul(actual, a, b, q, n0, new ulong[ScratchLimbs(n)]);
            if (!expected.AsSpan().SequenceEqual(actual)) return false;
        }
        return true;
    }

    /// <summary>r = a*b/2^(64n) mod q (odd q, inputs below q, n = q.Length limbs); r may alias a or b.</summary>
    public static void Mul(Span<ulong> r, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, ReadOnlySpan<ulong> q, ulong n0, Span<ulong> scratch)
    {
        int n = q.Length;
        if (n == 0 || r.Length < n || a.Length < n || b.Length < n || scratch.Length < ScratchLimbs(n))
            throw new ArgumentException("operand shorter than the modulus, or scratch too small");
        fixed (ulong* pr = r, pa = a, pb = b, pq = q, pt = scratch)
        {
            if (n <= SuppressTransitionLimbs) MulFn(pr, pa, pb, pq, n, pt, n0);
            else MulFnWithTransition(pr, pa, pb, pq, n, pt, n0);
        }
    }
}
