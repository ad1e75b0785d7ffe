namespace OpenLedger.Rollup.Config;

/// <summary>A rollup config file that is missing a field or holds an invalid value; the message names the field.</summary>
public sealed class RollupConfigException(string message) : Exception(message);
