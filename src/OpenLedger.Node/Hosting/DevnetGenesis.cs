using OpenLedger.Chain.Genesis;
using OpenLedger.Evm.Transactions;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Wallet;

namespace OpenLedger.Node.Hosting;

/// <summary>
/// The devnet preset: today's Ethereum rules (Osaka, so Prague too) from block 0, ten accounts from the standard test
/// mnemonic with 10,000 OPEN each, and the EIP-2935 history contract that Prague's block-start system call writes to.
/// </summary>
public static class DevnetGenesis
{
    public const int AccountCount = 10;
    public static readonly UInt256 Prefund = new UInt256(10_000) * new UInt256(1_000_000_000_000_000_000);

    public static (GenesisSpec Genesis, IReadOnlyList<(Address Address, byte[] Key)> Accounts) Create(ulong timestamp)
    {
        var accounts = DevAccounts.PrivateKeys(AccountCount).Select(k => (Secp256k1.AddressFromPrivateKey(k), k)).ToArray();
        var genesis = new GenesisSpec
        {
            Config = new ChainConfig { ChainId = ChainConfig.DevnetChainId, PragueTime = 0, OsakaTime = 0 },
            Alloc = accounts.ToDictionary(a => a.Item1, _ => new GenesisAccount(Prefund, 0, [], new Dictionary<UInt256, UInt256>()))
                .Append(new(SystemCall.HistoryStorageAddress, new GenesisAccount(UInt256.Zero, 1, SystemCall.HistoryStorageCode, new Dictionary<UInt256, UInt256>())))
                .ToDictionary(),
            GasLimit = 30_000_000,
            Timestamp = timestamp,
            BaseFeePerGas = new UInt256(1_000_000_000),
        };
        return (genesis, accounts);
    }
}
