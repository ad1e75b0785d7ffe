using OpenLedger.Primitives;
using OpenLedger.State.World;

namespace OpenLedger.Evm;

/// <summary>The EVM host over a <see cref="WorldState"/>.</summary>
public sealed class WorldStateHost(WorldState world) : IEvmHost
{
    public WorldState World { get; } = world;

    public bool AccountExists(Address address) => World.Exists(address);
    public bool IsDeadAccount(Address address) => World.IsDead(address);
    public UInt256 GetBalance(Address address) => World.GetBalance(address);
    public ulong GetNonce(Address address) => World.GetNonce(address);
    public void SetNonce(Address address, ulong nonce) => World.SetNonce(address, nonce);
    public Hash256 GetCodeHash(Address address) => World.GetCodeHash(address);
    public byte[] GetCode(Address address) => World.GetCode(address);
    public void SetCode(Address address, byte[] code) => World.SetCode(address, code);

    public void Transfer(Address from, Address to, in UInt256 value)
    {
        World.SubtractBalance(from, value);
        World.AddBalance(to, value);
    }

    public void AddBalance(Address address, in UInt256 value) => World.AddBalance(address, value);
    public void SubtractBalance(Address address, in UInt256 value) => World.SubtractBalance(address, value);
    public void Touch(Address address) => World.Touch(address);
    public void CreateAccount(Address address) => World.CreateAccount(address);
    public bool HasCreateCollision(Address address) => World.HasCollision(address);
    public UInt256 GetStorage(Address address, in UInt256 key) => World.GetStorage(address, key);
    public UInt256 GetOriginalStorage(Address address, in UInt256 key) => World.GetOriginalStorage(address, key);
    public void SetStorage(Address address, in UInt256 key, in UInt256 value) => World.SetStorage(address, key, value);
    public UInt256 AccessStorage(Address address, in UInt256 key, out bool wasCold) => World.AccessStorage(address, key, out wasCold);
    public UInt256 AccessStorageForWrite(Address address, in UInt256 key, out UInt256 original, out bool wasCold) =>
        World.AccessStorageForWrite(address, key, out original, out wasCold);
    public UInt256 StoreStorage(Address address, in UInt256 key, in UInt256 value, out UInt256 original, out bool wasCold) =>
        World.StoreStorage(address, key, value, out original, out wasCold);
    public UInt256 GetTransient(Address address, in UInt256 key) => World.GetTransient(address, key);
    public void SetTransient(Address address, in UInt256 key, in UInt256 value) => World.SetTransient(address, key, value);
    public bool WarmAddress(Address address) => World.WarmAddress(address);
    public bool WarmSlot(Address address, in UInt256 key) => World.WarmSlot(address, key);
    public bool IsCreatedInTransaction(Address address) => World.IsCreatedInTransaction(address);
    public void MarkDestructed(Address address) => World.MarkDestructed(address);
    public void AddLog(LogEntry log) => World.AddLog(log);
    public long Refund => World.Refund;
    public void AddRefund(long gas) => World.AddRefund(gas);
    public void SubtractRefund(long gas) => World.SubtractRefund(gas);
    public WorldSnapshot TakeSnapshot() => World.TakeSnapshot();
    public void Revert(WorldSnapshot snapshot) => World.Revert(snapshot);
}
