using OpenLedger.Evm.Tracing;
using OpenLedger.Primitives;
using OpenLedger.State.World;

namespace OpenLedger.Rpc.Eth;

/// <summary>
/// eth_simulateV1's traceTransfers: every native-currency transfer of a call (the call itself and each CALL, CALLCODE
/// or CREATE carrying value) becomes an ERC-20-style Transfer(from, to, value) log from the address 0xeeee…eeee,
/// in order among the call's real logs; a frame that fails drops its logs and transfers, as the chain drops its logs.
/// </summary>
public sealed class TransferLogTracer : IEvmTracer
{
    public static readonly Address TransferAddress = Address.Parse("0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
    public static readonly Hash256 TransferTopic = Keccak256.Compute("Transfer(address,address,uint256)"u8);

    private readonly List<LogEntry> _logs = [];
    private readonly Stack<int> _marks = new();

    /// <summary>The call's logs with the transfers among them.</summary>
    public List<LogEntry> Logs => _logs;

    public void OnStep(in StepInfo step) { }
    public void OnStepCost(long gasCost, string? error) { }
    public void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error) { }

    public void OnEnter(string type, Address from, Address to, in UInt256 value, long gas, ReadOnlySpan<byte> input, int depth)
    {
        _marks.Push(_logs.Count);
        if (value.IsZero || type is "DELEGATECALL" or "STATICCALL") return;
        _logs.Add(new LogEntry(TransferAddress, [TransferTopic, Word(from), Word(to)], value.ToBigEndian()));
    }

    public void OnLog(LogEntry log) => _logs.Add(log);

    public void OnExit(long gasUsed, ReadOnlySpan<byte> output, string? error, bool reverted)
    {
        if (_marks.Count == 0) return;
        int mark = _marks.Pop();
        if (error != null) _logs.RemoveRange(mark, _logs.Count - mark);
    }

    private static Hash256 Word(Address a)
    {
        Span<byte> w = stackalloc byte[32];
        a.Bytes.CopyTo(w[12..]);
        return new Hash256(w);
    }
}
