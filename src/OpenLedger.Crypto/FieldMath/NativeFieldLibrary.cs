using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace OpenLedger.Crypto.FieldMath;

/// <summary>
/// The field kernels in x86-64 assembly (Native/field_kernels_x86_64.s, written by gen_field_kernels_x86_64.py and
/// assembled by the Evm build into <see cref="FileName"/> on Linux x64), loaded once for every field that uses them.
/// </summary>
internal static class NativeFieldLibrary
{
    public const string FileName = "libopenledger_field_kernels.so";

    /// <summary>Why the library is not in use (null when it loaded).</summary>
    public static readonly string? DisabledReason = Load(out Handle);

    public static readonly nint Handle;

    private static string? Load(out nint lib)
    {
        lib = 0;
        if (Environment.GetEnvironmentVariable("OPENLEDGER_NATIVE_FIELD") == "0") return "OPENLEDGER_NATIVE_FIELD=0";
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return "not Linux x64";
        if (!Bmi2.X64.IsSupported || !HasAdx()) return "the CPU lacks BMI2 or ADX";
        foreach (string dir in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(NativeFieldLibrary).Assembly.Location) ?? "" })
        {
            string path = Path.Combine(dir, FileName);
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out lib)) return null;
        }
        return $"{FileName} not found next to the application";
    }

    // CPUID leaf 7, sub-leaf 0: EBX bit 19 is ADX (adcx/adox); .NET has no IsSupported flag for it.
    private static bool HasAdx() => X86Base.IsSupported && (X86Base.CpuId(7, 0).Ebx & (1 << 19)) != 0;

    /// <summary>Resolves the exports of one kernel set; the first missing name is reported (a stale build).</summary>
    public sealed class Exports
    {
        public string? Missing { get; private set; }

        public nint this[string name]
        {
            get
            {
                if (NativeLibrary.TryGetExport(Handle, name, out nint address)) return address;
                Missing ??= name;
                return 0;
            }
        }
    }
}
