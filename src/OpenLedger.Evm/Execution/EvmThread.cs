namespace OpenLedger.Evm.Execution;

/// <summary>
/// Runs work on a thread whose stack fits 1024 nested EVM frames (the interpreter recurses per call).
/// </summary>
public static class EvmThread
{
    public const int StackBytes = 256 * 1024 * 1024;

    public static T Run<T>(Func<T> work)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { error = e; }
        }, StackBytes);
        thread.Start();
        thread.Join();
        if (error != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        return result;
    }
}
