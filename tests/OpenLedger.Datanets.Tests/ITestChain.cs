using OpenLedger.Datanets.Indexing;
using OpenLedger.Primitives;

namespace OpenLedger.Datanets.Tests;

/// <summary>A chain a test runs the service against: our node (<see cref="ChainFixture"/>) or anvil (<see cref="AnvilChain"/>).</summary>
public interface ITestChain
{
    string RpcUrl { get; }
    ulong ChainId { get; }
    ContractAddresses Contracts { get; }
    IReadOnlyList<(Address Address, byte[] Key)> Accounts { get; }
}
