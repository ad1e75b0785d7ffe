namespace OpenLedger.Node.Devnet;

/// <summary>`openledger devnet`: starts the L1 and reports which L2 parts are not there yet; runs until cancelled.</summary>
public static class DevnetRunner
{
    public static async Task<int> RunAsync(DevnetOptions options, TextWriter output, CancellationToken ct)
    {
        string anvilPath;
        try
        {
            anvilPath = options.AnvilPath ?? ToolLocator.Find("anvil");
        }
        catch (FileNotFoundException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }

        AnvilProcess anvil;
        try
        {
            anvil = await AnvilProcess.StartAsync(anvilPath, options.L1Port, ["--chain-id", "31337"], ct);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"error: L1: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        await using (anvil)
        {
            await output.WriteLineAsync($"L1 (anvil) JSON-RPC: {anvil.RpcUrl} (chain id 31337)");
            await output.WriteLineAsync("L2 node, sequencer, JSON-RPC: not built yet (issue: the L2 node)");
            await output.WriteLineAsync("L1/L2 contract deployment: not built yet (issue: contracts)");
            await output.WriteLineAsync("Rollup batcher, proposer, bridge: not built yet");
            await output.WriteLineAsync("Press Ctrl-C to stop.");
            await output.FlushAsync(ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) { }
            await output.WriteLineAsync("stopping: L1 (anvil)");
        }
        return 0;
    }
}
