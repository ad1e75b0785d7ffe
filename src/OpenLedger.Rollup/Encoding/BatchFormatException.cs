namespace OpenLedger.Rollup.Encoding;

/// <summary>L1 data (batcher transaction, frame, channel, batch) that does not follow the wire format; the message names what is wrong.</summary>
public sealed class BatchFormatException(string message) : Exception(message);
