using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Instructions;

/// <summary>0x40-0x4a: BLOCKHASH COINBASE TIMESTAMP NUMBER PREVRANDAO GASLIMIT CHAINID BASEFEE BLOBHASH BLOBBASEFEE.</summary>
public static unsafe class BlockOps
{
    internal static void Register(InstructionTable t, ForkSpec spec)
    {
        var g = spec.Gas;
        t.Set(Opcode.BLOCKHASH, &BlockHash, g.BlockHash, 1, 1);
        t.Set(Opcode.COINBASE, &Coinbase, g.Base, 0, 1);
        t.Set(Opcode.TIMESTAMP, &Timestamp, g.Base, 0, 1);
        t.Set(Opcode.NUMBER, &Number, g.Base, 0, 1);
        t.Set(Opcode.PREVRANDAO, &PrevRandao, g.Base, 0, 1);
        t.Set(Opcode.GASLIMIT, &GasLimit, g.Base, 0, 1);
        t.Set(Opcode.CHAINID, &ChainId, g.Base, 0, 1);
        t.Set(Opcode.BASEFEE, &BaseFee, g.Base, 0, 1);
        if (spec.HasBlobs) t.Set(Opcode.BLOBHASH, &BlobHash, g.BlobHash, 1, 1);
        if (spec.HasBlobBaseFee) t.Set(Opcode.BLOBBASEFEE, &BlobBaseFee, g.Base, 0, 1);
    }

    public static EvmStatus BlockHash(EvmFrame f)
    {
        ref var n = ref f.Peek(0);
        var block = f.Evm.Block;
        // Only the 256 most recent complete blocks are visible.
        if (!n.IsUlong || n.u0 >= block.Number || block.Number - n.u0 > 256 || block.BlockHashes == null) n = UInt256.Zero;
        else n = Word.FromHash(block.BlockHashes(n.u0));
        return EvmStatus.Continue;
    }

    public static EvmStatus Coinbase(EvmFrame f) { f.Push(Word.FromAddress(f.Evm.Block.Coinbase)); return EvmStatus.Continue; }
    public static EvmStatus Timestamp(EvmFrame f) { f.Push(new UInt256(f.Evm.Block.Timestamp)); return EvmStatus.Continue; }
    public static EvmStatus Number(EvmFrame f) { f.Push(new UInt256(f.Evm.Block.Number)); return EvmStatus.Continue; }
    public static EvmStatus PrevRandao(EvmFrame f) { f.Push(Word.FromHash(f.Evm.Block.PrevRandao)); return EvmStatus.Continue; }
    public static EvmStatus GasLimit(EvmFrame f) { f.Push(new UInt256(f.Evm.Block.GasLimit)); return EvmStatus.Continue; }
    public static EvmStatus ChainId(EvmFrame f) { f.Push(f.Evm.Block.ChainId); return EvmStatus.Continue; }
    public static EvmStatus BaseFee(EvmFrame f) { f.Push(f.Evm.Block.BaseFee); return EvmStatus.Continue; }
    public static EvmStatus BlobBaseFee(EvmFrame f) { f.Push(f.Evm.BlobBaseFee); return EvmStatus.Continue; }

    public static EvmStatus BlobHash(EvmFrame f)
    {
        ref var i = ref f.Peek(0);
        var hashes = f.Evm.Tx.BlobVersionedHashes;
        i = i.IsUlong && i.u0 < (ulong)hashes.Count ? Word.FromHash(hashes[(int)i.u0]) : UInt256.Zero;
        return EvmStatus.Continue;
    }
}
