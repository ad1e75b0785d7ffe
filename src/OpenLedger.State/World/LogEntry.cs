using OpenLedger.Primitives;

namespace OpenLedger.State.World;

/// <summary>One LOG0-LOG4 record.</summary>
public sealed record LogEntry(Address Address, Hash256[] Topics, byte[] Data);
