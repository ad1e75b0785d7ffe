using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Datanets.Indexing;

/// <summary>The daily limits and today's usage, read live from DatanetRegistry (they change every UTC day, no event marks that).</summary>
public sealed record DailyQuota(ulong UserFiles, UInt256 UserBytes, UInt256 DatanetBytes, ulong MaxUserFiles, UInt256 MaxUserBytes, UInt256 MaxDatanetBytes);

/// <summary>eth_call reads of DatanetRegistry views through Nethereum.</summary>
public sealed class RegistryViews(RpcChainSource chain, string registry)
{
    private static readonly AbiFunction MaxUserBytes = AbiFunction.FromSignature("maxUserBytesPerDay()", "(uint128)");
    private static readonly AbiFunction MaxUserFiles = AbiFunction.FromSignature("maxUserFilesPerDay()", "(uint64)");
    private static readonly AbiFunction MaxDatanetBytes = AbiFunction.FromSignature("maxDatanetBytesPerDay()", "(uint128)");
    private static readonly AbiFunction UserUsage = AbiFunction.FromSignature("userUsageToday(address)", "(uint64,uint128)");
    private static readonly AbiFunction DatanetUsage = AbiFunction.FromSignature("datanetUsageToday(uint256)", "(uint128)");

    public async Task<DailyQuota> QuotaAsync(Address user, long datanetId, CancellationToken ct)
    {
        var tasks = new[]
        {
            Call(MaxUserBytes, ct), Call(MaxUserFiles, ct), Call(MaxDatanetBytes, ct),
            Call(UserUsage, ct, user), Call(DatanetUsage, ct, new UInt256((ulong)datanetId)),
        };
        var r = await Task.WhenAll(tasks);
        return new DailyQuota(((UInt256)r[3][0]!).u0, (UInt256)r[3][1]!, (UInt256)r[4][0]!, ((UInt256)r[1][0]!).u0, (UInt256)r[0][0]!, (UInt256)r[2][0]!);
    }

    private async Task<object?[]> Call(AbiFunction f, CancellationToken ct, params object?[] args) =>
        f.DecodeOutput(await chain.CallAsync(registry, f.EncodeCall(args), ct));
}
