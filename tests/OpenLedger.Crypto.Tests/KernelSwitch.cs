using OpenLedger.Crypto.Bls12381;
using OpenLedger.Crypto.Bn254;
using OpenLedger.Crypto.FieldMath;

namespace OpenLedger.Crypto.Tests;

/// <summary>
/// Runs a body with one of the process-wide assembly-kernel switches set, restoring it afterwards. The type is
/// initialized first: its initializer sets the switch, and must not run after the test has set it. Tests that use
/// this belong to <see cref="NativeFqToggleCollection"/>, so no two of them flip switches at once.
/// </summary>
internal static class KernelSwitch
{
    public static T Bls12381<T>(bool native, Func<T> body)
    {
        NativeFq.EnsureInitialized();
        return With(() => NativeFq.Enabled, v => NativeFq.Enabled = v, native, body);
    }

    public static T Bn254<T>(bool native, Func<T> body)
    {
        NativeBn254Fq.EnsureInitialized();
        return With(() => NativeBn254Fq.Enabled, v => NativeBn254Fq.Enabled = v, native, body);
    }

    public static T ModExp<T>(bool native, Func<T> body)
    {
        NativeMontMul.EnsureInitialized();
        return With(() => NativeMontMul.Enabled, v => NativeMontMul.Enabled = v, native, body);
    }

    private static T With<T>(Func<bool> get, Action<bool> set, bool value, Func<T> body)
    {
        bool saved = get();
        try
        {
            set(value);
            return body();
        }
        finally
        {
            set(saved);
        }
    }
}
