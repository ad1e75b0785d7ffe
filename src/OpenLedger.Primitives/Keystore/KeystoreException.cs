namespace OpenLedger.Primitives.Keystore;

/// <summary>A keystore file that cannot be read: malformed, unsupported, absurd parameters, or a wrong password.</summary>
public sealed class KeystoreException(string message) : Exception(message);
