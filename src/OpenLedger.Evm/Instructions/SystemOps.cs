using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Instructions;

/// <summary>0xf0-0xff: CREATE CALL CALLCODE RETURN DELEGATECALL CREATE2 STATICCALL REVERT SELFDESTRUCT.</summary>
public static unsafe class SystemOps
{
    internal static void Register(InstructionTable t, GasSchedule g)
    {
        t.Set(Opcode.CREATE, &Create, g.Create, 3, 1);
        t.Set(Opcode.CALL, &Call, 0, 7, 1);
        t.Set(Opcode.CALLCODE, &CallCode, 0, 7, 1);
        t.Set(Opcode.RETURN, &Return, g.Zero, 2, 0);
        t.Set(Opcode.DELEGATECALL, &DelegateCall, 0, 6, 1);
        t.Set(Opcode.CREATE2, &Create2, g.Create, 4, 1);
        t.Set(Opcode.STATICCALL, &StaticCall, 0, 6, 1);
        t.Set(Opcode.REVERT, &Revert, g.Zero, 2, 0);
        t.Set(Opcode.SELFDESTRUCT, &SelfDestruct, g.SelfDestruct, 1, 0);
    }

    public static EvmStatus Return(EvmFrame f) => SetOutput(f, EvmStatus.Return);
    public static EvmStatus Revert(EvmFrame f) => SetOutput(f, EvmStatus.Revert);

    private static EvmStatus SetOutput(EvmFrame f, EvmStatus status)
    {
        ref var offset = ref f.Pop();
        ref var size = ref f.Pop();
        if (!f.ExpandMemory(offset, size)) return EvmStatus.OutOfGas;
        f.Output = size.IsZero ? [] : f.Memory.Span((long)offset.u0, (long)size.u0).ToArray();
        return status;
    }

    public static EvmStatus Call(EvmFrame f) => DoCall(f, CallKind.Call);
    public static EvmStatus CallCode(EvmFrame f) => DoCall(f, CallKind.CallCode);
    public static EvmStatus DelegateCall(EvmFrame f) => DoCall(f, CallKind.DelegateCall);
    public static EvmStatus StaticCall(EvmFrame f) => DoCall(f, CallKind.StaticCall);

    private static EvmStatus DoCall(EvmFrame f, CallKind kind)
    {
        var g = f.Spec.Gas;
        var host = f.Host;
        var requested = f.Pop();
        var target = Word.ToAddress(f.Pop());
        var value = kind is CallKind.Call or CallKind.CallCode ? f.Pop() : UInt256.Zero;
        var inOffset = f.Pop();
        var inSize = f.Pop();
        var outOffset = f.Pop();
        var outSize = f.Pop();

        if (kind == CallKind.Call && f.IsStatic && !value.IsZero) return EvmStatus.StaticCallViolation;
        if (!f.ExpandMemory(inOffset, inSize) || !f.ExpandMemory(outOffset, outSize)) return EvmStatus.OutOfGas;

        long cost = host.WarmAddress(target) ? g.ColdAccountAccess : g.WarmAccess;
        // EIP-7702: reaching a delegated account also accesses its delegate (warmed here, charged warm or cold).
        if (f.Spec.Eip7702 && Delegation.TryGetTarget(host.GetCode(target), out var delegateTo))
            cost += host.WarmAddress(delegateTo) ? g.ColdAccountAccess : g.WarmAccess;
        if (!value.IsZero)
        {
            cost += g.CallValue;
            if (kind == CallKind.Call && host.IsDeadAccount(target)) cost += g.NewAccount;
        }
        if (!f.UseGas(cost)) return EvmStatus.OutOfGas;

        // EIP-150: at most all but one 64th of the remaining gas goes to the callee.
        long available = f.Gas - f.Gas / 64;
        long callGas = requested.IsUlong && requested.u0 < (ulong)available ? (long)requested.u0 : available;
        f.Gas -= callGas;
        if (!value.IsZero) callGas += g.CallStipend;
        f.Evm.CloseTraceStep(f);

        var input = inSize.IsZero ? [] : f.Memory.Span((long)inOffset.u0, (long)inSize.u0).ToArray();
        f.ReturnData = [];
        if (f.Depth >= f.Spec.MaxCallDepth || (!value.IsZero && host.GetBalance(f.Self) < value))
        {
            f.Gas += callGas;
            f.Push(UInt256.Zero);
            return EvmStatus.Continue;
        }

        var result = kind switch
        {
            CallKind.Call => f.Evm.Call(kind, f.Self, target, target, value, value, input, callGas, f.IsStatic, f.Depth + 1),
            CallKind.CallCode => f.Evm.Call(kind, f.Self, f.Self, target, value, value, input, callGas, f.IsStatic, f.Depth + 1),
            CallKind.DelegateCall => f.Evm.Call(kind, f.Caller, f.Self, target, f.Value, UInt256.Zero, input, callGas, f.IsStatic, f.Depth + 1),
            _ => f.Evm.Call(kind, f.Self, target, target, UInt256.Zero, UInt256.Zero, input, callGas, true, f.Depth + 1),
        };

        f.Gas += result.GasLeft;
        f.ReturnData = result.Output;
        if (!outSize.IsZero && result.Output.Length > 0)
        {
            int n = (int)Math.Min(outSize.u0, (ulong)result.Output.Length);
            result.Output.AsSpan(0, n).CopyTo(f.Memory.Span((long)outOffset.u0, n));
        }
        f.Push(result.Success ? UInt256.One : UInt256.Zero);
        return EvmStatus.Continue;
    }

    public static EvmStatus Create(EvmFrame f) => DoCreate(f, false);
    public static EvmStatus Create2(EvmFrame f) => DoCreate(f, true);

    private static EvmStatus DoCreate(EvmFrame f, bool create2)
    {
        if (f.IsStatic) return EvmStatus.StaticCallViolation;
        var g = f.Spec.Gas;
        var value = f.Pop();
        var offset = f.Pop();
        var size = f.Pop();
        var salt = create2 ? f.Pop() : UInt256.Zero;
        if (!f.ExpandMemory(offset, size)) return EvmStatus.OutOfGas;
        // EIP-3860: oversized init code is an exceptional halt.
        if (!size.IsUlong || size.u0 > (ulong)f.Spec.MaxInitCodeSize) return EvmStatus.OutOfGas;
        long words = (long)(size.u0 + 31) / 32;
        if (!f.UseGas(words * (g.InitCodeWord + (create2 ? g.Create2HashWord : 0)))) return EvmStatus.OutOfGas;

        var initCode = size.IsZero ? [] : f.Memory.Span((long)offset.u0, (long)size.u0).ToArray();
        f.ReturnData = [];
        var host = f.Host;
        ulong nonce = host.GetNonce(f.Self);
        if (f.Depth >= f.Spec.MaxCallDepth || host.GetBalance(f.Self) < value || nonce == ulong.MaxValue)
        {
            f.Push(UInt256.Zero);
            return EvmStatus.Continue;
        }

        long callGas = f.Gas - f.Gas / 64;
        f.Gas -= callGas;
        f.Evm.CloseTraceStep(f);
        host.SetNonce(f.Self, nonce + 1);
        var address = create2 ? ContractAddress.Create2(f.Self, salt, initCode) : ContractAddress.Create(f.Self, nonce);
        var result = f.Evm.Create(f.Self, value, initCode, callGas, f.Depth + 1, address, create2);
        f.Gas += result.GasLeft;
        f.ReturnData = result.Status == EvmStatus.Revert ? result.Output : [];
        f.Push(result.Success ? Word.FromAddress(address) : UInt256.Zero);
        return EvmStatus.Continue;
    }

    /// <summary>EIP-6780 SELFDESTRUCT: always moves the balance; deletes the account only when it was created in this transaction.</summary>
    public static EvmStatus SelfDestruct(EvmFrame f)
    {
        if (f.IsStatic) return EvmStatus.StaticCallViolation;
        var g = f.Spec.Gas;
        var host = f.Host;
        var beneficiary = Word.ToAddress(f.Pop());
        long cost = host.WarmAddress(beneficiary) ? g.ColdAccountAccess : 0;
        var balance = host.GetBalance(f.Self);
        if (!balance.IsZero && host.IsDeadAccount(beneficiary)) cost += g.NewAccount;
        if (!f.UseGas(cost)) return EvmStatus.OutOfGas;

        bool destroy = !f.Spec.SelfDestructOnlyInCreatingTx || host.IsCreatedInTransaction(f.Self);
        if (destroy)
        {
            // The balance leaves at once, even when the beneficiary is the contract itself: then it is burned here,
            // so BALANCE reads 0 for the rest of the transaction and later value sent in is burned by a later SELFDESTRUCT
            // or with the account at the end (execution-specs: move_ether, then set the originator's balance to 0).
            if (beneficiary != f.Self) host.AddBalance(beneficiary, balance);
            host.SubtractBalance(f.Self, balance);
            host.MarkDestructed(f.Self);
        }
        else if (beneficiary != f.Self)
        {
            host.Transfer(f.Self, beneficiary, balance);
        }
        else
        {
            host.Touch(beneficiary);
        }
        return EvmStatus.Stop;
    }
}
