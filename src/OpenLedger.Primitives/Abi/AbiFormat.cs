using System.Collections;

namespace OpenLedger.Primitives.Abi;

/// <summary>Readable text for decoded ABI values, for messages and logs.</summary>
public static class AbiFormat
{
    public static string Value(object? v) => v switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        byte[] b => Hex.Encode(b),
        bool b => b ? "true" : "false",
        UInt256 u => AbiIntegers.ToBigInteger(u).ToString(),
        IList list => "[" + string.Join(", ", list.Cast<object?>().Select(Value)) + "]",
        _ => v.ToString() ?? "",
    };
}
