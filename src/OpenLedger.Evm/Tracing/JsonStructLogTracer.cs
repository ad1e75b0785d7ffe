using System.Globalization;
using System.Text;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Tracing;

/// <summary>
/// EIP-3155 trace: one JSON object per opcode
/// ({"pc","op","gas","gasCost","memSize","stack","depth","refund","opName"}), then a summary line {"output","gasUsed","error"}.
/// </summary>
public sealed class JsonStructLogTracer(TextWriter output) : IEvmTracer
{
    private readonly StringBuilder _line = new();
    private bool _pending;

    public void OnStep(in StepInfo step)
    {
        if (_pending) Flush(0, null);
        _line.Clear();
        _line.Append("{\"pc\":").Append(step.Pc.ToString(CultureInfo.InvariantCulture))
            .Append(",\"op\":").Append(step.Op.ToString(CultureInfo.InvariantCulture))
            .Append(",\"gas\":\"0x").Append(step.Gas.ToString("x", CultureInfo.InvariantCulture))
            .Append("\",\"gasCost\":\"0x");
        // gasCost is appended when known; the rest waits in a second builder segment.
        _rest.Clear();
        _rest.Append("\",\"memSize\":").Append(step.MemorySize.ToString(CultureInfo.InvariantCulture)).Append(",\"stack\":[");
        for (int i = 0; i < step.Stack.Length; i++)
        {
            if (i > 0) _rest.Append(',');
            _rest.Append('"').Append(Quantity(step.Stack[i])).Append('"');
        }
        _rest.Append("],\"depth\":").Append(step.Depth.ToString(CultureInfo.InvariantCulture))
            .Append(",\"refund\":").Append(step.Refund.ToString(CultureInfo.InvariantCulture))
            .Append(",\"opName\":\"").Append(step.OpName).Append('"');
        _pending = true;
    }

    private readonly StringBuilder _rest = new();

    public void OnStepCost(long gasCost, string? error)
    {
        if (_pending) Flush(gasCost, error);
    }

    private void Flush(long gasCost, string? error)
    {
        _pending = false;
        _line.Append(gasCost.ToString("x", CultureInfo.InvariantCulture)).Append(_rest);
        if (error != null) _line.Append(",\"error\":\"").Append(error).Append('"');
        _line.Append('}');
        output.WriteLine(_line.ToString());
    }

    public void OnTransactionEnd(ReadOnlySpan<byte> result, long gasUsed, string? error)
    {
        if (_pending) Flush(0, null);
        output.Write("{\"output\":\"" + Hex.Encode(result, prefix: false) + "\",\"gasUsed\":\"0x" + gasUsed.ToString("x", CultureInfo.InvariantCulture) + "\"");
        output.WriteLine(error != null ? ",\"error\":\"" + error + "\"}" : "}");
    }

    private static string Quantity(in UInt256 v)
    {
        Span<byte> b = stackalloc byte[32];
        Execution.Word.WriteBigEndian(v, b);
        var hex = Convert.ToHexStringLower(b).TrimStart('0');
        return "0x" + (hex.Length == 0 ? "0" : hex);
    }
}
