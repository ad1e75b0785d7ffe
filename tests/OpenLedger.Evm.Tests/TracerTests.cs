using System.Text.Json;
using OpenLedger.Evm.Tracing;

namespace OpenLedger.Evm.Tests;

public class TracerTests
{
    [Fact]
    public void Eip3155_lines_carry_the_step_fields_and_a_summary()
    {
        var sw = new StringWriter();
        var h = new EvmTestHarness().WithCode(EvmTestHarness.Contract, "600160010160005500");
        h.Run(gasLimit: 100_000, tracer: new JsonStructLogTracer(sw));
        var lines = sw.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length); // 6 opcodes + summary

        using var first = JsonDocument.Parse(lines[0]);
        var r = first.RootElement;
        Assert.Equal(0, r.GetProperty("pc").GetInt32());
        Assert.Equal(0x60, r.GetProperty("op").GetInt32());
        Assert.Equal("0x" + (100_000 - 21000).ToString("x"), r.GetProperty("gas").GetString());
        Assert.Equal("0x3", r.GetProperty("gasCost").GetString());
        Assert.Equal(0, r.GetProperty("memSize").GetInt64());
        Assert.Equal(0, r.GetProperty("stack").GetArrayLength());
        Assert.Equal(1, r.GetProperty("depth").GetInt32());
        Assert.Equal(0, r.GetProperty("refund").GetInt64());
        Assert.Equal("PUSH1", r.GetProperty("opName").GetString());

        using var sstore = JsonDocument.Parse(lines[4]);
        Assert.Equal("SSTORE", sstore.RootElement.GetProperty("opName").GetString());
        Assert.Equal("0x" + 22100.ToString("x"), sstore.RootElement.GetProperty("gasCost").GetString());
        Assert.Equal(["0x2", "0x0"], sstore.RootElement.GetProperty("stack").EnumerateArray().Select(e => e.GetString()!).ToArray());

        using var summary = JsonDocument.Parse(lines[6]);
        Assert.Equal("0x" + (21000 + 12 + 22100).ToString("x"), summary.RootElement.GetProperty("gasUsed").GetString());
    }
}
