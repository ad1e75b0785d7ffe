namespace OpenLedger.Evm.Execution;

/// <summary>How an opcode or a frame ended. Everything from <see cref="OutOfGas"/> on is an exceptional halt: all gas of the frame is consumed.</summary>
public enum EvmStatus : byte
{
    Continue,
    Stop,
    Return,
    Revert,
    OutOfGas,
    StackUnderflow,
    StackOverflow,
    InvalidJump,
    InvalidOpcode,
    StaticCallViolation,
    ReturnDataOutOfBounds,
    CodeSizeExceeded,
    InvalidCodePrefix,
    InitCodeSizeExceeded,
    CreateCollision,
    PrecompileFailure,
}

public static class EvmStatusExtensions
{
    public static bool IsError(this EvmStatus s) => s >= EvmStatus.OutOfGas;

    /// <summary>Short lowercase text for traces and reports, close to geth's wording.</summary>
    public static string Describe(this EvmStatus s) => s switch
    {
        EvmStatus.OutOfGas => "out of gas",
        EvmStatus.StackUnderflow => "stack underflow",
        EvmStatus.StackOverflow => "stack limit reached 1024",
        EvmStatus.InvalidJump => "invalid jump destination",
        EvmStatus.InvalidOpcode => "invalid opcode",
        EvmStatus.StaticCallViolation => "write protection",
        EvmStatus.ReturnDataOutOfBounds => "return data out of bounds",
        EvmStatus.CodeSizeExceeded => "max code size exceeded",
        EvmStatus.InvalidCodePrefix => "invalid code: must not begin with 0xef",
        EvmStatus.InitCodeSizeExceeded => "max initcode size exceeded",
        EvmStatus.CreateCollision => "contract address collision",
        EvmStatus.PrecompileFailure => "precompile failed",
        EvmStatus.Revert => "execution reverted",
        _ => "",
    };
}
