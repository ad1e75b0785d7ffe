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
        >= 0x10 and <= 0x19 => true,            // LT .. NOT
        0x1b or 0x1c => true,                   // SHL SHR
        0x50 or 0x51 or 0x52 => true,           // POP MLOAD MSTORE
        >= 0x56 and <= 0x5b => true,            // JUMP JUMPI PC MSIZE GAS JUMPDEST
        >= 0x5f and <= 0x9f => true,            // PUSH0..PUSH32 DUP1..16 SWAP1..16
        _ => false,
    };

    // AggressiveOptimization: compiled fully optimized at first call. Under tiered compilation a long-running loop
    // that is entered fewer than 30 times (a big benchmark call, a block of few long transactions) would run its
    // on-stack-replacement variant, which kept pc, stack height and gas in stack slots (seen in the JIT's disassembly).
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe EvmStatus RunFast(EvmFrame f)
    {
        ref OpMeta meta = ref MemoryMarshal.GetArrayDataReference(_table.Meta);
        byte[] code = f.Code;
        int codeLength = code.Length;
        ref byte code0 = ref MemoryMarshal.GetArrayDataReference(code);
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
                case 0x1b:
                {
                    ref var s = ref Unsafe.Add(ref stack, --sp);
                    ref var x = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.ShiftLeft(x, (s.u1 | s.u2 | s.u3) == 0 && s.u0 < 256 ? (int)s.u0 : 256, out var r);
                    x = r;
                    break;
                }
                case 0x1c:
                {
                    ref var s = ref Unsafe.Add(ref stack, --sp);
                    ref var x = ref Unsafe.Add(ref stack, sp - 1);
                    UInt256.ShiftRight(x, (s.u1 | s.u2 | s.u3) == 0 && s.u0 < 256 ? (int)s.u0 : 256, out var r);
                    x = r;
                    break;
                }
                case 0x50:
                    sp--;
                    break;
                case 0x51:
                {
                    ref var offset = ref Unsafe.Add(ref stack, sp - 1);
                    if (!MemoryCovers(f, offset, 32)) goto default; // expansion: the handler charges and grows
                    offset = ReadWord(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(f.Memory.Buffer), (int)offset.u0));
                    break;
                }
                case 0x52:
                {
                    ref var offset = ref Unsafe.Add(ref stack, sp - 1);
                    if (!MemoryCovers(f, offset, 32)) goto default;
                    sp -= 2;
                    WriteWord(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(f.Memory.Buffer), (int)offset.u0), Unsafe.Add(ref stack, sp));
                    break;
                }
                case 0x56:
                {
                    ref var dest = ref Unsafe.Add(ref stack, --sp);
                    if (!IsJumpDest(f.JumpDests, dest, codeLength)) { status = EvmStatus.InvalidJump; goto Exit; }
                    pc = (int)dest.u0;
                    break;
                }
                case 0x57:
                {
                    sp -= 2;
                    if (Unsafe.Add(ref stack, sp).IsZero) break;
                    ref var dest = ref Unsafe.Add(ref stack, sp + 1);
                    if (!IsJumpDest(f.JumpDests, dest, codeLength)) { status = EvmStatus.InvalidJump; goto Exit; }
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
                    // Near the end of the code (immediate cut off, or fewer than 8 bytes left) the handler decodes it.
                    if (codeLength - pc < Math.Max(n, 8)) goto default;
                    ref byte p = ref Unsafe.Add(ref code0, pc);
                    Unsafe.Add(ref stack, sp++) = new UInt256(ImmediateLimb(ref p, n - 8), ImmediateLimb(ref p, n - 16),
                        ImmediateLimb(ref p, n - 24), ImmediateLimb(ref p, n - 32));
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
                    status = CallHandler(f, op);
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

    // Out of line: the loop's registers then only have to survive a plain call on this path.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private unsafe EvmStatus CallHandler(EvmFrame f, int op) => _table.Handlers[op](f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsJumpDest(ulong[] bits, in UInt256 dest, int codeLength)
    {
        if ((dest.u1 | dest.u2 | dest.u3) != 0 || dest.u0 >= (ulong)codeLength) return false;
        int d = (int)dest.u0;
        return (Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(bits), d >> 6) & (1UL << d)) != 0;
    }

    /// <summary>Whether memory already holds [offset, offset + size): then no expansion and no gas (size &gt; 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool MemoryCovers(EvmFrame f, in UInt256 offset, ulong size) =>
        (offset.u1 | offset.u2 | offset.u3) == 0 && offset.u0 <= EvmMemory.MaxSize && offset.u0 + size <= (ulong)f.Memory.Size;

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

    /// <summary>
    /// One limb of a PUSH immediate at p: the limb whose lowest byte is immediate byte lo + 7, i.e. bytes [lo, lo + 8).
    /// lo &lt; 0 means the limb is the partial top one (its lo + 8 bytes are the first of the immediate), lo &lt;= -8 that it
    /// is beyond the immediate. Needs 8 readable bytes at p, which the caller checked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ImmediateLimb(ref byte p, int lo) =>
        lo >= 0 ? ReadBigEndian64(ref Unsafe.Add(ref p, lo)) : lo > -8 ? ReadBigEndian64(ref p) >> (-8 * lo) : 0;
}
