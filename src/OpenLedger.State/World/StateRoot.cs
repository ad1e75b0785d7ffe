using OpenLedger.Primitives;
using OpenLedger.Primitives.Rlp;
using OpenLedger.State.Accounts;

namespace OpenLedger.State.World;

/// <summary>Roots and hashes the state tests compare: the state root of a whole in-memory state and the logs hash.</summary>
public static class StateRoot
{
    /// <summary>The Ethereum state root of every account in <paramref name="state"/> (via <see cref="StateTrie"/>).</summary>
    public static Hash256 Compute(MemoryWorldSource state) =>
        StateTrie.ComputeRoot(state.Accounts.Select(a =>
            new KeyValuePair<Address, AccountData>(a.Key, new AccountData(a.Value.Nonce, a.Value.Balance, a.Value.CodeHash, a.Value.Storage))));

    /// <summary>keccak256(rlp(logs)), each log rlp([address, [topics], data]): the state tests' "logs" field.</summary>
    public static Hash256 LogsHash(IReadOnlyList<LogEntry> logs)
    {
        var items = new byte[logs.Count][];
        for (int i = 0; i < logs.Count; i++)
        {
            var l = logs[i];
            var topics = new byte[l.Topics.Length][];
            for (int t = 0; t < topics.Length; t++) topics[t] = Rlp.Encode(l.Topics[t].Bytes);
            items[i] = Rlp.EncodeList(Rlp.Encode(l.Address.Bytes), Rlp.EncodeList(topics), Rlp.Encode(l.Data));
        }
        return Keccak256.Compute(Rlp.EncodeList(items));
    }
}
