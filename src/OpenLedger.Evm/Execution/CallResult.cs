using OpenLedger.Primitives;

namespace OpenLedger.Evm.Execution;

public enum CallKind : byte { Call, CallCode, DelegateCall, StaticCall }

/// <summary>How a message call or creation ended: status, unused gas, output (return or revert data) and the new contract's address.</summary>
public readonly record struct CallResult(EvmStatus Status, long GasLeft, byte[] Output, Address CreatedAddress = default)
{
    public bool Success => Status is EvmStatus.Stop or EvmStatus.Return;
}
