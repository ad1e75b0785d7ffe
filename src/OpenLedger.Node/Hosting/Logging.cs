using Microsoft.Extensions.Logging;

namespace OpenLedger.Node.Hosting;

/// <summary>Structured logs to stderr: JSON lines when OPENLEDGER_LOG_FORMAT=json, plain text otherwise.</summary>
public static class Logging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(b =>
    {
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("OPENLEDGER_LOG_LEVEL"), ignoreCase: true, out var l) ? l : LogLevel.Information;
        b.SetMinimumLevel(level);
        if (Environment.GetEnvironmentVariable("OPENLEDGER_LOG_FORMAT") == "json")
            b.AddJsonConsole(o => o.TimestampFormat = "O");
        else
            b.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        b.AddFilter("Microsoft", LogLevel.Warning);
        // Logs go to stderr so stdout stays for what commands print (URLs, JSON).
        b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    });
}
