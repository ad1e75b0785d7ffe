using System.Buffers.Binary;
using OpenLedger.Chain;
using OpenLedger.Rollup.Config;

namespace OpenLedger.Rollup.Engine;

/// <summary>
/// Where derivation stands, kept in the chain's own key-value store under one key (one atomic put): the safe and
/// finalized L2 heads and the L1 block the safe head was derived at. A node reopened after kill -9 restores its heads
/// from it and derives on from the safe head instead of from genesis.
/// </summary>
public sealed record DerivationProgress(Hash256 Safe, Hash256 Finalized, BlockId? SafeDerivedAt)
{
    private static readonly byte[] Key = "RollupDerivationProgress"u8.ToArray();
    private const int Length = 32 + 32 + 1 + 32 + 8;

    public static DerivationProgress? Load(Blockchain chain)
    {
        var v = chain.Store.Store.TryGet(Key);
        if (v is null) return null;
        if (v.Length != Length) throw new InvalidOperationException($"stored derivation progress has {v.Length} bytes, expected {Length}: the data directory is damaged");
        BlockId? at = v[64] == 1 ? new BlockId(new Hash256(v.AsSpan(65, 32)), BinaryPrimitives.ReadUInt64BigEndian(v.AsSpan(97))) : null;
        return new DerivationProgress(new Hash256(v.AsSpan(0, 32)), new Hash256(v.AsSpan(32, 32)), at);
    }

    public static void Save(Blockchain chain, DerivationProgress p)
    {
        var v = new byte[Length];
        p.Safe.Bytes.CopyTo(v.AsSpan(0));
        p.Finalized.Bytes.CopyTo(v.AsSpan(32));
        if (p.SafeDerivedAt is { } at)
        {
            v[64] = 1;
            at.Hash.Bytes.CopyTo(v.AsSpan(65));
            BinaryPrimitives.WriteUInt64BigEndian(v.AsSpan(97), at.Number);
        }
        chain.Store.Store.Put(Key, v);
    }
}
