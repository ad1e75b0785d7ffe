namespace OpenLedger.State.Storage;

/// <summary>A key-value store could not be opened or used.</summary>
public class StorageException : Exception
{
    public StorageException(string message) : base(message) { }
    public StorageException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The database directory is held by another process (or another open store in this one).</summary>
public sealed class StoreLockedException : StorageException
{
    public string Directory { get; }

    public StoreLockedException(string directory, Exception inner)
        : base($"database directory '{directory}' is locked: another process (or another store in this process) has it open", inner)
        => Directory = directory;
}
