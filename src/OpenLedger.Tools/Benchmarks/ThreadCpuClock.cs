using System.Runtime.InteropServices;

namespace OpenLedger.Tools.Benchmarks;

/// <summary>
/// This thread's CPU time (Linux clock_gettime(CLOCK_THREAD_CPUTIME_ID)): on a machine shared with other busy
/// processes it leaves out the time the thread waited for a core, which wall time cannot for calls longer than a
/// scheduler slice. Elsewhere <see cref="Available"/> is false.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds, Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec ts);

    public static readonly bool Available = Probe();

    /// <summary>Nanoseconds of CPU this thread has used (0 where unavailable).</summary>
    public static long NowNs()
    {
        if (!Available || ClockGetTime(ClockThreadCpuTimeId, out var t) != 0) return 0;
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try { return ClockGetTime(ClockThreadCpuTimeId, out _) == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }
}
