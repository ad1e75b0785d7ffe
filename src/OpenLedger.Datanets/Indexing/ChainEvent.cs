namespace OpenLedger.Datanets.Indexing;

/// <summary>One decoded log as the indexer stores it: the event name and its arguments as a JSON object.</summary>
public sealed record ChainEvent(long BlockNumber, long LogIndex, string BlockHash, string TxHash, string Name, string Args);
