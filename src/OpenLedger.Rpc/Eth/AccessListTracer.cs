using OpenLedger.Evm.Tracing;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Rpc.Eth;

/// <summary>
/// Collects the addresses and storage slots a call touches, as geth's access-list tracer does: the slots of
/// SLOAD/SSTORE (in the storage context running), the targets of BALANCE, EXTCODE*, SELFDESTRUCT and the CALL
/// family, leaving out the excluded addresses (sender, recipient or created contract, precompiles) unless they
/// have slots.
/// </summary>
public sealed class AccessListTracer(IReadOnlyList<AccessListItem> initial, ISet<Address> excluded) : IEvmTracer
{
    private readonly SortedDictionary<Address, SortedSet<Hash256>> _list = Seed(initial);
    private readonly Stack<Address> _context = new();

    private static SortedDictionary<Address, SortedSet<Hash256>> Seed(IReadOnlyList<AccessListItem> items)
    {
        var d = new SortedDictionary<Address, SortedSet<Hash256>>();
        foreach (var item in items)
        {
            if (!d.TryGetValue(item.Address, out var slots)) d[item.Address] = slots = new SortedSet<Hash256>(HashOrder.Instance);
            foreach (var k in item.StorageKeys) slots.Add(k);
        }
        return d;
    }

    public void OnEnter(string type, Address from, Address to, in UInt256 value, long gas, ReadOnlySpan<byte> input, int depth) =>
        _context.Push(type is "DELEGATECALL" or "CALLCODE" && _context.Count > 0 ? _context.Peek() : to);

    public void OnExit(long gasUsed, ReadOnlySpan<byte> output, string? error, bool reverted)
    {
        if (_context.Count > 0) _context.Pop();
    }

    public void OnStep(in StepInfo step)
    {
        var stack = step.Stack;
        switch (step.Op)
        {
            case 0x54 or 0x55 when stack.Length >= 1 && _context.Count > 0: // SLOAD, SSTORE
                AddSlot(_context.Peek(), new Hash256(stack[^1].ToBigEndian()));
                break;
            case 0x31 or 0x3b or 0x3c or 0x3f or 0xff when stack.Length >= 1: // BALANCE, EXTCODESIZE, EXTCODECOPY, EXTCODEHASH, SELFDESTRUCT
                AddAddress(ToAddress(stack[^1]));
                break;
            case 0xf1 or 0xf2 or 0xf4 or 0xfa when stack.Length >= 5: // CALL, CALLCODE, DELEGATECALL, STATICCALL
                AddAddress(ToAddress(stack[^2]));
                break;
        }
    }

    public void OnStepCost(long gasCost, string? error) { }
    public void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error) { }

    private void AddAddress(Address a)
    {
        if (!excluded.Contains(a) && !_list.ContainsKey(a)) _list[a] = new SortedSet<Hash256>(HashOrder.Instance);
    }

    private void AddSlot(Address a, Hash256 slot)
    {
        if (!_list.TryGetValue(a, out var slots)) _list[a] = slots = new SortedSet<Hash256>(HashOrder.Instance);
        slots.Add(slot);
    }

    private static Address ToAddress(in UInt256 word) => new(word.ToBigEndian().AsSpan(12));

    /// <summary>The list, addresses and slots in ascending order.</summary>
    public List<AccessListItem> AccessList() => _list.Select(kv => new AccessListItem(kv.Key, [.. kv.Value])).ToList();

    public bool SameAs(AccessListTracer other) =>
        _list.Count == other._list.Count && _list.All(kv => other._list.TryGetValue(kv.Key, out var s) && s.SetEquals(kv.Value));

    private sealed class HashOrder : IComparer<Hash256>
    {
        public static readonly HashOrder Instance = new();
        public int Compare(Hash256 x, Hash256 y) => x.Bytes.SequenceCompareTo(y.Bytes);
    }
}
