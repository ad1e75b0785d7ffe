namespace OpenLedger.Primitives.Abi;

/// <summary>Decoded revert data: Error(string), Panic(uint256), a custom error from an ABI, or raw bytes.</summary>
public sealed class RevertReason
{
    public static readonly AbiError ErrorString = AbiError.FromSignature("Error(string)");
    public static readonly AbiError PanicError = AbiError.FromSignature("Panic(uint256)");

    public RevertKind Kind { get; }
    public byte[] Data { get; }
    /// <summary>The message of Error(string).</summary>
    public string? Message { get; }
    /// <summary>The code of Panic(uint256).</summary>
    public UInt256? PanicCode { get; }
    /// <summary>The custom error, for <see cref="RevertKind.Custom"/>.</summary>
    public AbiError? CustomError { get; }
    /// <summary>Arguments of the custom error (empty otherwise).</summary>
    public IReadOnlyList<object?> Arguments { get; }

    private RevertReason(RevertKind kind, byte[] data, string? message = null, UInt256? panic = null, AbiError? error = null, IReadOnlyList<object?>? args = null)
    {
        Kind = kind;
        Data = data;
        Message = message;
        PanicCode = panic;
        CustomError = error;
        Arguments = args ?? Array.Empty<object?>();
    }

    /// <summary>Decodes revert data. Data with a known selector that does not decode strictly is reported as <see cref="RevertKind.Unknown"/>, never thrown.</summary>
    public static RevertReason Decode(ReadOnlySpan<byte> data, IEnumerable<AbiError>? customErrors = null)
    {
        var copy = data.ToArray();
        if (data.Length == 0) return new RevertReason(RevertKind.Empty, copy);
        try
        {
            if (ErrorString.Matches(data))
                return new RevertReason(RevertKind.Error, copy, message: (string)ErrorString.Decode(data)[0]!);
            if (PanicError.Matches(data))
                return new RevertReason(RevertKind.Panic, copy, panic: (UInt256)PanicError.Decode(data)[0]!);
            if (customErrors != null)
                foreach (var e in customErrors)
                    if (e.Matches(data))
                        return new RevertReason(RevertKind.Custom, copy, error: e, args: e.Decode(data));
        }
        catch (AbiDecodingException) { }
        return new RevertReason(RevertKind.Unknown, copy);
    }

    /// <summary>Solidity's name for a panic code, e.g. 0x11 "arithmetic overflow or underflow".</summary>
    public static string PanicName(UInt256 code) => !code.IsUlong ? "unknown panic" : code.u0 switch
    {
        0x00 => "generic compiler panic",
        0x01 => "assertion failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division or modulo by zero",
        0x21 => "invalid enum value",
        0x22 => "invalid storage byte array encoding",
        0x31 => "pop on empty array",
        0x32 => "array index out of bounds",
        0x41 => "out of memory",
        0x51 => "call to zero-initialized function",
        _ => "unknown panic",
    };

    public override string ToString() => Kind switch
    {
        RevertKind.Empty => "reverted without data",
        RevertKind.Error => "reverted: " + Message,
        RevertKind.Panic => $"panic 0x{PanicCode!.Value.u0:x2}: {PanicName(PanicCode.Value)}",
        RevertKind.Custom => CustomError!.Name + "(" + string.Join(", ", Arguments.Select(AbiFormat.Value)) + ")",
        _ => "reverted with unknown data " + Hex.Encode(Data),
    };
}
