using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OpenLedger.Evm.Instructions;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Execution;

// The untraced dispatch loop. Program counter, stack height and gas live in locals; the common opcodes (stack,
// arithmetic, comparison, bitwise, jumps, MLOAD/MSTORE) run inline in one switch, everything else through the
// table's handler with the locals written back to the frame around the call. Which opcodes run inline is the
// table's decision (OpMeta.Kind): an opcode undefined in the fork, or one whose handler was replaced
// (InstructionTable.WithHandler), goes to its handler. The inline code must agree with the handlers exactly;
// the traced loop (Run) uses only the handlers, and the state tests run through both.
public sealed partial class EvmExecutor
{
    /// <summary>Whether the fast loop has built-in code for this opcode (used when a table is built).</summary>
    internal static bool HasInlineCode(byte op) => op switch
    {
        <= 0x03 => true,                        // STOP ADD MUL SUB
        >= 0x10 and <= 0x1d => true,            // LT .. SAR
        0x50 or 0x51 or 0x52 => true,           // POP MLOAD MSTORE
        >= 0x56 and <= 0x5b => true,            // JUMP JUMPI PC MSIZE GAS JUMPDEST
        >= 0x5f and <= 0x9f => true,            // PUSH0..PUSH32 DUP1..16 SWAP1..16
        _ => false,
    };

    [SkipLocalsInit]
    private unsafe EvmStatus RunFast(EvmFrame f)
    {
        var handlers = _table.Handlers;
        ref OpMeta meta = ref MemoryMarshal.GetArrayDataReference(_table.Meta);
        byte[] code = f.Code;
        int codeLength = code.Length;
        ref byte code0 = ref MemoryMarshal.GetArrayDataReference(code);
        ulong[] jumpDests = f.JumpDests;
        ref UInt256 stack = ref MemoryMarshal.GetArrayDataReference(f.Stack);
        int pc = f.Pc, sp = f.Sp;
        long gas = f.Gas;
        EvmStatus status;
        while (true)
        {
            int op = (uint)pc < (uint)codeLength ? Unsafe.Add(ref code0, pc) : 0;
            ref OpMeta m = ref Unsafe.Add(ref meta, op);
            if ((uint)(sp - m.MinStack) > (uint)m.StackRange)
            {
                status = sp < m.MinStack ? EvmStatus.StackUnderflow : EvmStatus.StackOverflow;
                break;
            }
            if (gas < m.Gas) { status = EvmStatus.OutOfGas; break; }
            gas -= m.Gas;
            pc++;
            switch (m.Kind)
            {
                case 0x00:
                    status = EvmStatus.Stop;
                    goto Exit;
                case 0x01:
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.Add(a, b, out var r);
                    b = r;
                    break;
                }
                case 0x02:
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.Multiply(a, b, out var r);
                    b = r;
                    break;
                }
                case 0x03:
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.Subtract(a, b, out var r);
                    b = r;
                    break;
                }
                case 0x10:
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = new UInt256(UInt256.LessThan(a, b) ? 1UL : 0UL);
                    break;
                }
                case 0x11:
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = new UInt256(UInt256.LessThan(b, a) ? 1UL : 0UL);
                    break;
                }
                case 0x12:
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = new UInt256(UInt256.SignedLessThan(a, b) ? 1UL : 0UL);
                    break;
                }
                case 0x13:
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = new UInt256(UInt256.SignedLessThan(b, a) ? 1UL : 0UL);
                    break;
                }
                case 0x14:
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = new UInt256(((a.u0 ^ b.u0) | (a.u1 ^ b.u1) | (a.u2 ^ b.u2) | (a.u3 ^ b.u3)) == 0 ? 1UL : 0UL);
                    break;
                }
                case 0x15:
                {
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    a = new UInt256(a.IsZero ? 1UL : 0UL);
                    break;
                }
                case 0x16:
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = new UInt256(a.u0 & b.u0, a.u1 & b.u1, a.u2 & b.u2, a.u3 & b.u3);
                    break;
                }
                case 0x17:
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = new UInt256(a.u0 | b.u0, a.u1 | b.u1, a.u2 | b.u2, a.u3 | b.u3);
                    break;
                }
                case 0x18:
                {
                    ref var a = ref Unsafe.Add(ref stack, --sp);
                    ref var b = ref Unsafe.Add(ref stack, sp - 1);
                    b = new UInt256(a.u0 ^ b.u0, a.u1 ^ b.u1, a.u2 ^ b.u2, a.u3 ^ b.u3);
                    break;
                }
                case 0x19:
                {
                    ref var a = ref Unsafe.Add(ref stack, sp - 1);
                    a = new UInt256(~a.u0, ~a.u1, ~a.u2, ~a.u3);
                    break;
                }
                case 0x1a:
                {
                    ref var i = ref Unsafe.Add(ref stack, --sp);
                    ref var x = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.Byte(i, x, out var r);
                    x = r;
                    break;
                }
                case 0x1b:
                {
                    ref var s = ref Unsafe.Add(ref stack, --sp);
                    ref var x = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.ShiftLeft(x, Word.ShiftAmount(s), out var r);
                    x = r;
                    break;
                }
                case 0x1c:
                {
                    ref var s = ref Unsafe.Add(ref stack, --sp);
                    ref var x = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.ShiftRight(x, Word.ShiftAmount(s), out var r);
                    x = r;
                    break;
                }
                case 0x1d:
                {
                    ref var s = ref Unsafe.Add(ref stack, --sp);
                    ref var x = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.ShiftRightArithmetic(x, Word.ShiftAmount(s), out var r);
                    x = r;
                    break;
                }
                case 0x50:
                    sp--;
                    break;
                case 0x51:
                {
                    ref var offset = ref Unsafe.Add(ref stack, sp - 1);
                    if (!ExpandMemory(f, offset, 32, ref gas)) { status = EvmStatus.OutOfGas; goto Exit; }
                    offset = ReadWord(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(f.Memory.Buffer), (int)offset.u0));
                    break;
                }
                case 0x52:
                {
                    sp -= 2;
                    ref var offset = ref Unsafe.Add(ref stack, sp + 1);
                    if (!ExpandMemory(f, offset, 32, ref gas)) { status = EvmStatus.OutOfGas; goto Exit; }
                    WriteWord(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(f.Memory.Buffer), (int)offset.u0), Unsafe.Add(ref stack, sp));
                    break;
                }
                case 0x56:
                {
                    ref var dest = ref Unsafe.Add(ref stack, --sp);
                    if (!IsJumpDest(jumpDests, dest, codeLength)) { status = EvmStatus.InvalidJump; goto Exit; }
                    pc = (int)dest.u0;
                    break;
                }
                case 0x57:
                {
                    sp -= 2;
                    if (Unsafe.Add(ref stack, sp).IsZero) break;
                    ref var dest = ref Unsafe.Add(ref stack, sp + 1);
                    if (!IsJumpDest(jumpDests, dest, codeLength)) { status = EvmStatus.InvalidJump; goto Exit; }
                    pc = (int)dest.u0;
                    break;
                }
                case 0x58:
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)(pc - 1));
                    break;
                case 0x59:
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)f.Memory.Size);
                    break;
                case 0x5a:
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)gas);
                    break;
                case 0x5b:
                    break;
                case 0x5f:
                    Unsafe.Add(ref stack, sp++) = default;
                    break;
                case 0x60:
                    Unsafe.Add(ref stack, sp++) = new UInt256(pc < codeLength ? Unsafe.Add(ref code0, pc) : 0UL);
                    pc++;
                    break;
                case 0x61: case 0x62: case 0x63: case 0x64: case 0x65: case 0x66: case 0x67:
                case 0x68: case 0x69: case 0x6a: case 0x6b: case 0x6c: case 0x6d: case 0x6e: case 0x6f:
                case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
                case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f:
                {
                    int n = op - 0x5f;
                    Unsafe.Add(ref stack, sp++) = codeLength - pc >= n
                        ? ReadImmediate(ref Unsafe.Add(ref code0, pc), n, codeLength - pc)
                        : ReadImmediatePastEnd(code, pc, n);
                    pc += n;
                    break;
                }
                case 0x80: case 0x81: case 0x82: case 0x83: case 0x84: case 0x85: case 0x86: case 0x87:
                case 0x88: case 0x89: case 0x8a: case 0x8b: case 0x8c: case 0x8d: case 0x8e: case 0x8f:
                    Unsafe.Add(ref stack, sp) = Unsafe.Add(ref stack, sp - (op - 0x7f));
                    sp++;
                    break;
                case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
                case 0x98: case 0x99: case 0x9a: case 0x9b: case 0x9c: case 0x9d: case 0x9e: case 0x9f:
                {
                    ref var top = ref Unsafe.Add(ref stack, sp - 1);
                    ref var other = ref Unsafe.Add(ref stack, sp - 1 - (op - 0x8f));
                    var t = top;
                    top = other;
                    other = t;
                    break;
                }
                default:
                    f.Pc = pc;
                    f.Sp = sp;
                    f.Gas = gas;
                    status = handlers[op](f);
                    if (status != EvmStatus.Continue) return status;
                    pc = f.Pc;
                    sp = f.Sp;
                    gas = f.Gas;
                    break;
            }
        }
    Exit:
        f.Pc = pc;
        f.Sp = sp;
        f.Gas = gas;
        return status;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsJumpDest(ulong[] bits, in UInt256 dest, int codeLength)
    {
        if ((dest.u1 | dest.u2 | dest.u3) != 0 || dest.u0 >= (ulong)codeLength) return false;
        int d = (int)dest.u0;
        return (Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(bits), d >> 6) & (1UL << d)) != 0;
    }

    /// <summary>Memory expansion with the loop's gas local: the common case (already large enough) costs two compares.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ExpandMemory(EvmFrame f, in UInt256 offset, ulong size, ref long gas)
    {
        if ((offset.u1 | offset.u2 | offset.u3) == 0 && offset.u0 <= EvmMemory.MaxSize && offset.u0 + size <= (ulong)f.Memory.Size) return true;
        return ExpandMemorySlow(f, offset, size, ref gas);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool ExpandMemorySlow(EvmFrame f, in UInt256 offset, ulong size, ref long gas)
    {
        f.Gas = gas;
        bool ok = f.ExpandMemory(offset, new UInt256(size));
        gas = f.Gas;
        return ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadBigEndian64(ref byte p) => BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt256 ReadWord(ref byte p) =>
        new(ReadBigEndian64(ref Unsafe.Add(ref p, 24)), ReadBigEndian64(ref Unsafe.Add(ref p, 16)),
            ReadBigEndian64(ref Unsafe.Add(ref p, 8)), ReadBigEndian64(ref p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteWord(ref byte p, in UInt256 v)
    {
        Unsafe.WriteUnaligned(ref p, BinaryPrimitives.ReverseEndianness(v.u3));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 8), BinaryPrimitives.ReverseEndianness(v.u2));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 16), BinaryPrimitives.ReverseEndianness(v.u1));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 24), BinaryPrimitives.ReverseEndianness(v.u0));
    }

    /// <summary>The first <paramref name="k"/> (0..8) bytes at p as a big-endian number.</summary>
    private static ulong ReadBigEndianShort(ref byte p, int k)
    {
        ulong v = 0;
        for (int i = 0; i < k; i++) v = (v << 8) | Unsafe.Add(ref p, i);
        return v;
    }

    /// <summary>A PUSH2..PUSH32 immediate of <paramref name="n"/> bytes, all inside the code (<paramref name="available"/> &gt;= n).</summary>
    private static UInt256 ReadImmediate(ref byte p, int n, int available)
    {
        if (n <= 8)
        {
            // One unaligned load when eight bytes are readable, the immediate in its top n bytes.
            return new UInt256(available >= 8 ? ReadBigEndian64(ref p) >> (64 - 8 * n) : ReadBigEndianShort(ref p, n));
        }
        // Limbs from the low end: bytes [n-8, n) are limb 0, and so on; the top limb may be partial.
        int r = n - 8;
        ulong u0 = ReadBigEndian64(ref Unsafe.Add(ref p, r));
        ulong u1 = r >= 8 ? ReadBigEndian64(ref Unsafe.Add(ref p, r - 8)) : ReadBigEndianShort(ref p, r);
        r -= 8;
        ulong u2 = r >= 8 ? ReadBigEndian64(ref Unsafe.Add(ref p, r - 8)) : r > 0 ? ReadBigEndianShort(ref p, r) : 0;
        r -= 8;
        ulong u3 = r >= 8 ? ReadBigEndian64(ref Unsafe.Add(ref p, r - 8)) : r > 0 ? ReadBigEndianShort(ref p, r) : 0;
        return new UInt256(u0, u1, u2, u3);
    }

    /// <summary>An immediate running past the end of the code: the missing low-order bytes read as zero.</summary>
    private static UInt256 ReadImmediatePastEnd(byte[] code, int start, int n)
    {
        Span<byte> buf = stackalloc byte[32];
        buf.Clear();
        int available = Math.Max(0, code.Length - start);
        code.AsSpan(start, available).CopyTo(buf[(32 - n)..]);
        return UInt256.FromBigEndian(buf);
    }
}
