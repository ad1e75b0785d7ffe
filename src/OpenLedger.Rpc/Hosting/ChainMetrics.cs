using System.Globalization;
using OpenLedger.Chain;

namespace OpenLedger.Rpc.Hosting;

/// <summary>Chain and pool gauges for /metrics.</summary>
public static class ChainMetrics
{
    public static void Write(TextWriter w, Blockchain chain)
    {
        var head = chain.Head;
        var (pending, queued) = chain.Pool.Status();
        w.WriteLine("# TYPE openledger_chain_head_block gauge");
        w.WriteLine($"openledger_chain_head_block {head.Number}");
        w.WriteLine("# TYPE openledger_chain_head_gas_used gauge");
        w.WriteLine($"openledger_chain_head_gas_used {head.GasUsed}");
        w.WriteLine("# TYPE openledger_chain_head_base_fee_wei gauge");
        w.WriteLine($"openledger_chain_head_base_fee_wei {head.BaseFeePerGas}");
        w.WriteLine("# TYPE openledger_txpool_pending gauge");
        w.WriteLine($"openledger_txpool_pending {pending}");
        w.WriteLine("# TYPE openledger_txpool_queued gauge");
        w.WriteLine($"openledger_txpool_queued {queued}");
        w.WriteLine("# TYPE openledger_chain_transactions_total counter");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"openledger_chain_transactions_total {chain.TotalTransactions}"));
        w.WriteLine("# TYPE openledger_chain_gas_total counter");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"openledger_chain_gas_total {chain.TotalGas}"));
    }
}
