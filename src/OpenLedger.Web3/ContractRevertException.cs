using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Web3;

/// <summary>A contract call or transaction reverted; <see cref="Reason"/> says why: Error(string), Panic(code), a custom error with its arguments, or raw data.</summary>
public sealed class ContractRevertException : Exception
{
    public RevertReason Reason { get; }
    public string Function { get; }
    /// <summary>The mined transaction, when the revert happened on chain rather than in eth_call/eth_estimateGas.</summary>
    public Hash256? TransactionHash { get; }

    public RevertKind Kind => Reason.Kind;
    /// <summary>Error(string)'s message.</summary>
    public string? RevertMessage => Reason.Message;
    public UInt256? PanicCode => Reason.PanicCode;
    /// <summary>The custom error's name.</summary>
    public string? ErrorName => Reason.CustomError?.Name;
    public IReadOnlyList<object?> ErrorArguments => Reason.Arguments;

    public ContractRevertException(string function, RevertReason reason, Hash256? transactionHash = null, Exception? inner = null)
        : base($"{function} {reason}", inner)
    {
        Function = function;
        Reason = reason;
        TransactionHash = transactionHash;
    }
}
