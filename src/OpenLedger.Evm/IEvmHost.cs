using OpenLedger.Primitives;
using OpenLedger.State.World;

namespace OpenLedger.Evm;

/// <summary>
/// Everything the interpreter may ask of the state (revm's Host role). The interpreter never sees a concrete store;
/// <see cref="WorldStateHost"/> implements this over <see cref="WorldState"/>.
/// </summary>
public interface IEvmHost
{
    bool AccountExists(Address address);
    /// <summary>EIP-161 dead: absent or empty.</summary>
    bool IsDeadAccount(Address address);
    UInt256 GetBalance(Address address);
    ulong GetNonce(Address address);
    void SetNonce(Address address, ulong nonce);
    Hash256 GetCodeHash(Address address);
    byte[] GetCode(Address address);
    void SetCode(Address address, byte[] code);
    /// <summary>Moves value (touching both accounts); the caller has checked the balance.</summary>
    void Transfer(Address from, Address to, in UInt256 value);
    void AddBalance(Address address, in UInt256 value);
    void SubtractBalance(Address address, in UInt256 value);
    void Touch(Address address);
    void CreateAccount(Address address);
    bool HasCreateCollision(Address address);

    UInt256 GetStorage(Address address, in UInt256 key);
    UInt256 GetOriginalStorage(Address address, in UInt256 key);
    void SetStorage(Address address, in UInt256 key, in UInt256 value);
    /// <summary>SLOAD in one step: marks the slot warm (<paramref name="wasCold"/> when it was not) and returns its value.</summary>
    UInt256 AccessStorage(Address address, in UInt256 key, out bool wasCold)
    {
        wasCold = WarmSlot(address, key);
        return GetStorage(address, key);
    }

    /// <summary>SSTORE's reads in one step: marks the slot warm and returns its current and original (EIP-2200) values.</summary>
    UInt256 AccessStorageForWrite(Address address, in UInt256 key, out UInt256 original, out bool wasCold)
    {
        wasCold = WarmSlot(address, key);
        original = GetOriginalStorage(address, key);
        return GetStorage(address, key);
    }

    /// <summary>
    /// SSTORE in one step: warms the slot, returns its current and original values and writes <paramref name="value"/>
    /// if it differs. Gas is charged after it; a frame that then runs out of gas is reverted, write included.
    /// </summary>
    UInt256 StoreStorage(Address address, in UInt256 key, in UInt256 value, out UInt256 original, out bool wasCold)
    {
        var current = AccessStorageForWrite(address, key, out original, out wasCold);
        if (current != value) SetStorage(address, key, value);
        return current;
    }

    UInt256 GetTransient(Address address, in UInt256 key);
    void SetTransient(Address address, in UInt256 key, in UInt256 value);

    /// <summary>EIP-2929: marks warm, true when it was cold.</summary>
    bool WarmAddress(Address address);
    bool WarmSlot(Address address, in UInt256 key);

    bool IsCreatedInTransaction(Address address);
    void MarkDestructed(Address address);

    void AddLog(LogEntry log);
    long Refund { get; }
    void AddRefund(long gas);
    void SubtractRefund(long gas);

    WorldSnapshot TakeSnapshot();
    void Revert(WorldSnapshot snapshot);
}
