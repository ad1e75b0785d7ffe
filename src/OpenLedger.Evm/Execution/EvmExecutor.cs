using OpenLedger.Evm.Instructions;
using OpenLedger.Evm.Precompiles;
using OpenLedger.Evm.Tracing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Execution;

/// <summary>
/// Runs message calls and contract creations for one transaction: frames, the dispatch loop, precompiles,
/// snapshots around each call. Nested calls recurse (depth capped at 1024 by the spec); when the calling
/// thread's stack runs low the call tree continues on a big-stack thread (<see cref="EvmThread"/>), so any thread may run it.
/// </summary>
public sealed partial class EvmExecutor
{
    // An executor serves one transaction, but its frames (a 1024-word stack each, plus memory) are worth keeping:
    // allocating and zeroing ~32 KiB per transaction showed up in block production. Finished executors hand their
    // frames back (ReleaseFrames); the next one on any thread takes them.
    private static readonly System.Collections.Concurrent.ConcurrentBag<List<EvmFrame>> FramePool = [];
    private const int MaxPooledFrameSets = 64;

    // Per fork: the precompile table by address index and the addresses to pre-warm.
    private sealed record PrecompileSet(IPrecompile?[] Table, Address[] Addresses);
    private static readonly ConditionalWeakTable<ForkSpec, PrecompileSet> PrecompileSets = new();

    private List<EvmFrame>? _frames;
    private readonly IPrecompile?[] _precompiles;
    private readonly Address[] _precompileAddresses;
    private readonly InstructionTable _table;

    public IEvmHost Host { get; }
    public ForkSpec Spec { get; }
    public BlockContext Block { get; }
    public TxContext Tx { get; }
    public UInt256 BlobBaseFee { get; }
    public IEvmTracer? Tracer { get; }

    public EvmExecutor(IEvmHost host, ForkSpec spec, BlockContext block, TxContext tx, IEvmTracer? tracer = null)
    {
        Host = host;
        Spec = spec;
        Block = block;
        Tx = tx;
        Tracer = tracer;
        BlobBaseFee = block.BlobBaseFee(spec);
        _table = InstructionTable.For(spec);
        var set = PrecompileSets.GetValue(spec, BuildPrecompileSet);
        _precompiles = set.Table;
        _precompileAddresses = set.Addresses;
    }

    private static PrecompileSet BuildPrecompileSet(ForkSpec spec)
    {
        var precompiles = PrecompileRegistry.For(spec);
        int max = precompiles.Count == 0 ? 0 : precompiles.Max(p => p.AddressIndex);
        var table = new IPrecompile?[max + 1];
        foreach (var p in precompiles) table[p.AddressIndex] = p;
        var addresses = new List<Address>();
        for (int i = 0; i < table.Length; i++)
        {
            if (table[i] == null) continue;
            var bytes = new byte[20];
            bytes[18] = (byte)(i >> 8);
            bytes[19] = (byte)i;
            addresses.Add(new Address(bytes));
        }
        return new PrecompileSet(table, [.. addresses]);
    }

    /// <summary>Returns this executor's frames to the shared pool; call once the transaction is finished with it.</summary>
    public void ReleaseFrames()
    {
        if (_frames is not { } frames) return;
        _frames = null;
        if (FramePool.Count < MaxPooledFrameSets) FramePool.Add(frames);
    }

    /// <summary>The precompile at this address, if any (addresses 0x00..01 through 0x00..ffff; P256VERIFY is 0x100).</summary>
    public IPrecompile? Precompile(Address a)
    {
        var b = a.Bytes;
        for (int i = 0; i < 18; i++) if (b[i] != 0) return null;
        int n = (b[18] << 8) | b[19];
        return n < _precompiles.Length ? _precompiles[n] : null;
    }

    public IReadOnlyList<Address> PrecompileAddresses() => _precompileAddresses;

    /// <summary>
    /// A message call. <paramref name="target"/> is the account whose context runs, <paramref name="codeAddress"/> the code;
    /// <paramref name="value"/> is CALLVALUE and <paramref name="transfer"/> the amount actually moved (zero for DELEGATECALL).
    /// Depth and balance have been checked by the caller.
    /// </summary>
    public CallResult Call(CallKind kind, Address caller, Address target, Address codeAddress, in UInt256 value, in UInt256 transfer,
        byte[] input, long gas, bool isStatic, int depth)
    {
        if (Tracer is not { } tracer) return CallOnEnoughStack(kind, caller, target, codeAddress, value, transfer, input, gas, isStatic, depth);
        // Report the call as tracers show it: who made it and whose code runs.
        var (type, from, to) = kind switch
        {
            CallKind.DelegateCall => ("DELEGATECALL", target, codeAddress),
            CallKind.CallCode => ("CALLCODE", caller, codeAddress),
            CallKind.StaticCall => ("STATICCALL", caller, target),
            _ => ("CALL", caller, target),
        };
        tracer.OnEnter(type, from, to, value, gas, input, depth);
        var result = CallOnEnoughStack(kind, caller, target, codeAddress, value, transfer, input, gas, isStatic, depth);
        TraceExit(tracer, gas, result);
        return result;
    }

    private static void TraceExit(IEvmTracer tracer, long gas, in CallResult result) =>
        tracer.OnExit(gas - result.GasLeft, result.Output, result.Success ? null : result.Status.Describe(), result.Status == EvmStatus.Revert);

    private CallResult CallOnEnoughStack(CallKind kind, Address caller, Address target, Address codeAddress, in UInt256 value, in UInt256 transfer,
        byte[] input, long gas, bool isStatic, int depth)
    {
        // Nested calls recurse; when this thread's stack runs low, the rest of the call tree continues on a big-stack thread.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            var (v, t) = (value, transfer);
            return EvmThread.Run(() => CallCore(kind, caller, target, codeAddress, v, t, input, gas, isStatic, depth));
        }
        return CallCore(kind, caller, target, codeAddress, value, transfer, input, gas, isStatic, depth);
    }

    private CallResult CallCore(CallKind kind, Address caller, Address target, Address codeAddress, in UInt256 value, in UInt256 transfer,
        byte[] input, long gas, bool isStatic, int depth)
    {
        var snapshot = Host.TakeSnapshot();
        var precompile = Precompile(codeAddress);
        switch (kind)
        {
            case CallKind.Call:
                if (!Host.AccountExists(target))
                {
                    // Calling a non-existent account with no value creates nothing (EIP-161).
                    if (precompile == null && transfer.IsZero) return new CallResult(EvmStatus.Stop, gas, []);
                    Host.Touch(target);
                }
                Host.Transfer(caller, target, transfer);
                break;
            case CallKind.StaticCall:
                Host.Touch(target);
                break;
        }

        CallResult result;
        if (precompile != null)
        {
            result = RunPrecompile(precompile, input, gas);
        }
        else
        {
            var code = Host.GetCode(codeAddress);
            // EIP-7702: a designator runs its target's code (one hop; a precompile target runs nothing).
            if (Spec.Eip7702 && Delegation.TryGetTarget(code, out var delegateTo))
            {
                codeAddress = delegateTo;
                code = Host.GetCode(codeAddress);
            }
            if (code.Length == 0) return new CallResult(EvmStatus.Stop, gas, []);
            var frame = RentFrame(depth);
            frame.Code = code;
            frame.JumpDests = JumpDestAnalysis.Get(code, Host.GetCodeHash(codeAddress));
            frame.Gas = gas;
            frame.Caller = caller;
            frame.Self = target;
            frame.Value = value;
            frame.Input = input;
            frame.IsStatic = isStatic;
            var status = Run(frame);
            result = new CallResult(status, status.IsError() ? 0 : frame.Gas, status.IsError() ? [] : frame.Output);
            frame.Reset();
        }
        if (!result.Success) Host.Revert(snapshot);
        return result;
    }

    private static CallResult RunPrecompile(IPrecompile p, byte[] input, long gas)
    {
        long cost = p.GasCost(input);
        if (cost < 0 || cost > gas) return new CallResult(EvmStatus.OutOfGas, 0, []);
        if (!p.TryRun(input, out var output)) return new CallResult(EvmStatus.PrecompileFailure, 0, []);
        return new CallResult(EvmStatus.Return, gas - cost, output);
    }

    /// <summary>
    /// Runs init code at <paramref name="address"/>; the caller has checked depth and balance and bumped its nonce.
    /// On success the returned code is stored (EIP-170 size, EIP-3541 0xEF prefix, 200 gas per byte).
    /// </summary>
    public CallResult Create(Address caller, in UInt256 value, byte[] initCode, long gas, int depth, Address address, bool create2 = false)
    {
        if (Tracer is not { } tracer) return CreateOnEnoughStack(caller, value, initCode, gas, depth, address);
        tracer.OnEnter(create2 ? "CREATE2" : "CREATE", caller, address, value, gas, initCode, depth);
        var result = CreateOnEnoughStack(caller, value, initCode, gas, depth, address);
        TraceExit(tracer, gas, result);
        return result;
    }

    private CallResult CreateOnEnoughStack(Address caller, in UInt256 value, byte[] initCode, long gas, int depth, Address address)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            var v = value;
            return EvmThread.Run(() => CreateCore(caller, v, initCode, gas, depth, address));
        }
        return CreateCore(caller, value, initCode, gas, depth, address);
    }

    private CallResult CreateCore(Address caller, in UInt256 value, byte[] initCode, long gas, int depth, Address address)
    {
        Host.WarmAddress(address);
        if (Host.HasCreateCollision(address)) return new CallResult(EvmStatus.CreateCollision, 0, [], address);
        var snapshot = Host.TakeSnapshot();
        Host.CreateAccount(address);
        Host.SetNonce(address, 1);
        Host.Transfer(caller, address, value);

        var frame = RentFrame(depth);
        frame.Code = initCode;
        frame.JumpDests = JumpDestAnalysis.Get(initCode, null);
        frame.Gas = gas;
        frame.Caller = caller;
        frame.Self = address;
        frame.Value = value;
        frame.Input = [];
        frame.IsStatic = false;
        var status = initCode.Length == 0 ? EvmStatus.Stop : Run(frame);
        long gasLeft = frame.Gas;
        var output = frame.Output;
        frame.Reset();

        if (status is EvmStatus.Stop or EvmStatus.Return)
        {
            if (output.Length > Spec.MaxCodeSize) status = EvmStatus.CodeSizeExceeded;
            else if (output.Length > 0 && output[0] == 0xef) status = EvmStatus.InvalidCodePrefix;
            else if (gasLeft < Spec.Gas.CodeDepositByte * output.Length) status = EvmStatus.OutOfGas;
            else
            {
                gasLeft -= Spec.Gas.CodeDepositByte * output.Length;
                Host.SetCode(address, output);
                return new CallResult(EvmStatus.Return, gasLeft, [], address);
            }
        }
        Host.Revert(snapshot);
        return status == EvmStatus.Revert
            ? new CallResult(status, gasLeft, output, address)
            : new CallResult(status, 0, [], address);
    }

    private EvmFrame RentFrame(int depth)
    {
        // A pooled set made for another stack size (a custom fork) is dropped rather than reused.
        var frames = _frames ??= FramePool.TryTake(out var pooled) && (pooled.Count == 0 || pooled[0].Stack.Length == Spec.MaxStackSize) ? pooled : [];
        while (frames.Count <= depth) frames.Add(new EvmFrame(Spec.MaxStackSize));
        var f = frames[depth];
        f.Evm = this;
        f.Depth = depth;
        return f;
    }

    private unsafe EvmStatus Run(EvmFrame f)
    {
        if (Tracer == null) return RunFast(f);
        // Traced: every opcode through its handler, with a step reported before and after.
        var t = _table;
        var handlers = t.Handlers;
        var staticGas = t.StaticGas;
        var stackIn = t.StackIn;
        var growth = t.StackGrowth;
        var code = f.Code;
        int maxStack = Spec.MaxStackSize;
        var tracer = Tracer;
        EvmStatus status;
        // The tables have 256 entries and op is a byte: index them without bounds checks
        // (the handler table keeps its check: function pointers cannot go through Unsafe.Add).
        ref long gas0 = ref MemoryMarshal.GetArrayDataReference(staticGas);
        ref int in0 = ref MemoryMarshal.GetArrayDataReference(stackIn);
        ref int growth0 = ref MemoryMarshal.GetArrayDataReference(growth);
        while (true)
        {
            int pc = f.Pc;
            int op = (uint)pc < (uint)code.Length ? code[pc] : 0;
            if (tracer != null) OpenTraceStep(f, (byte)op);
            int sp = f.Sp;
            if (sp < Unsafe.Add(ref in0, op)) { status = EvmStatus.StackUnderflow; break; }
            if (sp + Unsafe.Add(ref growth0, op) > maxStack) { status = EvmStatus.StackOverflow; break; }
            if (!f.UseGas(Unsafe.Add(ref gas0, op))) { status = EvmStatus.OutOfGas; break; }
            f.Pc = pc + 1;
            status = handlers[op](f);
            if (status != EvmStatus.Continue) break;
            if (tracer != null) CloseTraceStep(f);
        }
        if (f.TraceOpen) CloseTraceStep(f, status.IsError() ? status.Describe() : null);
        return status;
    }

    private void OpenTraceStep(EvmFrame f, byte op)
    {
        Tracer!.OnStep(new StepInfo
        {
            Pc = f.Pc,
            Op = op,
            OpName = _table.Name(op),
            Gas = f.Gas,
            Stack = f.Stack.AsSpan(0, f.Sp),
            MemorySize = f.Memory.Size,
            Depth = f.Depth + 1,
            Refund = Host.Refund,
            Memory = f.Memory.Span(0, f.Memory.Size),
        });
        f.TraceGasBefore = f.Gas;
        f.TraceOpen = true;
    }

    /// <summary>Reports the current opcode's cost; calls and creates do this before their child frame starts.</summary>
    internal void CloseTraceStep(EvmFrame f, string? error = null)
    {
        if (!f.TraceOpen) return;
        f.TraceOpen = false;
        Tracer!.OnStepCost(f.TraceGasBefore - f.Gas, error);
    }
}
