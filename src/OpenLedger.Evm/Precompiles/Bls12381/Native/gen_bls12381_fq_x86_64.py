"""Writes bls12381_fq_x86_64.s (run: python3 gen_bls12381_fq_x86_64.py > bls12381_fq_x86_64.s).

Montgomery arithmetic modulo the BLS12-381 base field prime for x86-64 (System V ABI) with BMI2 (mulx) and ADX
(adcx/adox): the two independent carry chains that C# cannot express, which is what makes the 6-limb product about
2.4x faster than the managed one. Loaded by NativeFq.cs; the managed code in Bls12381FqArith*.cs stays the reference
and the fallback, and the tests compare the two.

The multiplication is CIOS, one row per limb of the right operand: t += a*b_i (adox adds the low halves, adcx the
high halves), then m = t0 * (-p^-1 mod 2^64), t += m*p, t >>= 64. The carry word lives in a seventh register, so any
row sum below 2^448 is exact: callers keep the sum of left operands below 2^384 - p, and the final value below 2p for
the one conditional subtraction (the bounds the managed code documents).
"""
P = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab
PL = [(P >> (64 * i)) & (2**64 - 1) for i in range(6)]
N0 = (-pow(P, -1, 2**64)) % 2**64

out = []
def w(s): out.append(s)

T0 = ["%r8", "%r9", "%r10", "%r11", "%rbx", "%rbp", "%r12"]
HI, LO = "%r13", "%r14"
SAVED = ["%rbx", "%rbp", "%r12", "%r13", "%r14", "%r15"]

def prologue(name, frame):
    w(f"\n    .globl {name}\n    .type {name},@function\n    .p2align 5\n{name}:")
    for r in SAVED: w(f"    push {r}")
    if frame: w(f"    sub ${frame}, %rsp")

def epilogue(name, frame):
    if frame: w(f"    add ${frame}, %rsp")
    for r in reversed(SAVED): w(f"    pop {r}")
    w("    ret")
    w(f"    .size {name}, .-{name}")

def copy6(src, dst, tmp="%rax"):
    for j in range(6):
        w(f"    mov {src(j)}, {tmp}")
        w(f"    mov {tmp}, {dst(j)}")

def sop(pairs, dst_reg_loader, dst):
    """t = sum over pairs of L*R, Montgomery-reduced one row at a time (CIOS with the carry word kept in a 7th
    register, adox for the low halves and adcx for the high halves). pairs: [(L, R)] with L, R: j -> operand string.
    dst_reg_loader: code that loads the destination pointer into a register; dst: j -> destination operand."""
    t = list(T0)
    for r in t: w(f"    xor {r}, {r}")
    for i in range(6):
        for (L, R) in pairs:
            w(f"    mov {R(i)}, %rdx")
            w("    xor %eax, %eax")
            for j in range(6):
                w(f"    mulx {L(j)}, {LO}, {HI}")
                w(f"    adox {LO}, {t[j]}")
                w(f"    adcx {HI}, {t[j + 1]}")
            w(f"    adox .Lzero(%rip), {t[6]}")
        w(f"    mov {t[0]}, %rdx")
        w("    imul .Ln0(%rip), %rdx")
        w("    xor %eax, %eax")
        for j in range(6):
            w(f"    mulx .Lp+{8 * j}(%rip), {LO}, {HI}")
            w(f"    adox {LO}, {t[j]}")
            w(f"    adcx {HI}, {t[j + 1]}")
        w(f"    adox .Lzero(%rip), {t[6]}")
        t = t[1:] + [t[0]]  # t0 is now zero: it becomes the top word
    # t < 2p: subtract p once if t >= p
    d = ["%rax", "%rdx", HI, LO, "%r15", t[6]]
    for j in range(6): w(f"    mov {t[j]}, {d[j]}")
    for j in range(6): w(f"    {'sub' if j == 0 else 'sbb'} .Lp+{8 * j}(%rip), {d[j]}")
    for j in range(6): w(f"    cmovc {t[j]}, {d[j]}")
    w(dst_reg_loader)
    for j in range(6): w(f"    mov {d[j]}, {dst(j)}")

def reg(r): return lambda j: f"{8 * j}({r})"
def stk(off): return lambda j: f"{off + 8 * j}(%rsp)"
def plimb(j): return f".Lp+{8 * j}(%rip)"

def add_into(a, b, dst, reduce=True, regs=("%rax", "%rdx", "%r8", "%r9", "%r10", "%r11"), tmp=("%rbx", "%rbp", "%r12", "%r13", "%r14", "%r15")):
    """dst = a + b (mod p when reduce; both below p). Without reduce: the plain sum (below 2^384 by the caller)."""
    for j in range(6): w(f"    mov {a(j)}, {regs[j]}")
    for j in range(6): w(f"    {'add' if j == 0 else 'adc'} {b(j)}, {regs[j]}")
    if reduce:
        for j in range(6): w(f"    mov {regs[j]}, {tmp[j]}")
        for j in range(6): w(f"    {'sub' if j == 0 else 'sbb'} {plimb(j)}, {tmp[j]}")
        for j in range(6): w(f"    cmovc {regs[j]}, {tmp[j]}")
        for j in range(6): w(f"    mov {tmp[j]}, {dst(j)}")
    else:
        for j in range(6): w(f"    mov {regs[j]}, {dst(j)}")

def sub_into(a, b, dst, regs=("%rax", "%rdx", "%r8", "%r9", "%r10", "%r11"), tmp=("%rbx", "%rbp", "%r12", "%r13", "%r14", "%r15")):
    """dst = a - b mod p (both below p)."""
    for j in range(6): w(f"    mov {a(j)}, {regs[j]}")
    for j in range(6): w(f"    {'sub' if j == 0 else 'sbb'} {b(j)}, {regs[j]}")
    w(f"    sbb {tmp[0]}, {tmp[0]}")  # all ones on borrow
    for j in range(1, 6): w(f"    mov {tmp[0]}, {tmp[j]}")
    for j in range(6): w(f"    and {plimb(j)}, {tmp[j]}")
    for j in range(6): w(f"    {'add' if j == 0 else 'adc'} {tmp[j]}, {regs[j]}")
    for j in range(6): w(f"    mov {regs[j]}, {dst(j)}")

def plain_sub(a, b, dst, regs=("%rax", "%rdx", "%r8", "%r9", "%r10", "%r11")):
    """dst = a - b, no reduction (the caller knows a >= b)."""
    for j in range(6): w(f"    mov {a(j)}, {regs[j]}")
    for j in range(6): w(f"    {'sub' if j == 0 else 'sbb'} {b(j)}, {regs[j]}")
    for j in range(6): w(f"    mov {regs[j]}, {dst(j)}")

def p_minus(b, dst, regs=("%rax", "%rdx", "%r8", "%r9", "%r10", "%r11")):
    """dst = p - b (b at most p): in [0, p]."""
    for j in range(6): w(f"    mov {plimb(j)}, {regs[j]}")
    for j in range(6): w(f"    {'sub' if j == 0 else 'sbb'} {b(j)}, {regs[j]}")
    for j in range(6): w(f"    mov {regs[j]}, {dst(j)}")

w("# Generated by gen_bls12381_fq_x86_64.py; do not edit by hand.")
w("# Montgomery arithmetic modulo the BLS12-381 base field prime p (R = 2^384), x86-64 System V, BMI2 + ADX.")
w("# Every function takes pointers to 6 little-endian 64-bit limbs; outputs may alias inputs.")
w("    .text")

# r = a*b/R mod p: rdi r, rsi a, rdx b
prologue("ol_bls12381_fp_mul", 8)
w("    mov %rdi, 0(%rsp)")
w("    mov %rdx, %rcx")
sop([(reg("%rsi"), reg("%rcx"))], "    mov 0(%rsp), %rdi", reg("%rdi"))
epilogue("ol_bls12381_fp_mul", 8)

# r = (a*b + c*d)/R mod p: rdi r, rsi a, rdx b, rcx c, r8 d (b and d copied to the frame)
prologue("ol_bls12381_fp_sop2", 8 + 96)
w("    mov %rdi, 0(%rsp)")
copy6(reg("%rdx"), stk(8))
copy6(reg("%r8"), stk(56))
sop([(reg("%rsi"), stk(8)), (reg("%rcx"), stk(56))], "    mov 0(%rsp), %rdi", reg("%rdi"))
epilogue("ol_bls12381_fp_sop2", 8 + 96)

# r = (a*b + c*d + e*f)/R mod p: rdi r, rsi a, rdx b, rcx c, r8 d, r9 e, f on the stack
# after the six pushes and the frame, f's pointer is at frame + 48 + 8(%rsp)
prologue("ol_bls12381_fp_sop3", 8 + 144)
w("    mov %rdi, 0(%rsp)")
copy6(reg("%rdx"), stk(8))
copy6(reg("%r8"), stk(56))
w(f"    mov {8 + 144 + 48 + 8}(%rsp), %rax")
copy6(reg("%rax"), stk(104), tmp="%rdx")
w("    mov %r9, %rdi")
sop([(reg("%rsi"), stk(8)), (reg("%rcx"), stk(56)), (reg("%rdi"), stk(104))], "    mov 0(%rsp), %rdi", reg("%rdi"))
epilogue("ol_bls12381_fp_sop3", 8 + 144)

# (r0 + r1 u) = (a0 + a1 u)(b0 + b1 u): rdi r0, rsi r1, rdx a0, rcx a1, r8 b0, r9 b1
# r0 = a0 b0 + a1 (p - b1), r1 = a0 b1 + a1 b0, both as sums of products.
# frame: 0 r0, 8 r1, 16 b0, 64 b1, 112 p - b1, 160 r0 result
prologue("ol_bls12381_fp2_mul", 208)
w("    mov %rdi, 0(%rsp)")
w("    mov %rsi, 8(%rsp)")
copy6(reg("%r8"), stk(16))
copy6(reg("%r9"), stk(64))
p_minus(stk(64), stk(112), regs=("%rax", "%rbx", "%r8", "%r9", "%r10", "%r11"))
w("    mov %rdx, %rsi")
sop([(reg("%rsi"), stk(16)), (reg("%rcx"), stk(112))], "", stk(160))
sop([(reg("%rsi"), stk(64)), (reg("%rcx"), stk(16))], "    mov 8(%rsp), %rdi", reg("%rdi"))
w("    mov 0(%rsp), %rdi")
copy6(stk(160), reg("%rdi"))
epilogue("ol_bls12381_fp2_mul", 208)

# (r0 + r1 u) = (a0 + a1 u)^2: rdi r0, rsi r1, rdx a0, rcx a1
# r0 = (a0 + a1)(a0 + p - a1), r1 = (2 a0) a1, sums unreduced (below 2p, products below 4p^2 < pR).
# frame: 0 r0, 8 r1, 16 s, 64 d, 112 2a0, 160 a1, 208 r0 result
prologue("ol_bls12381_fp2_sqr", 256)
w("    mov %rdi, 0(%rsp)")
w("    mov %rsi, 8(%rsp)")
w("    mov %rdx, %rsi")
copy6(reg("%rcx"), stk(160))
add_into(reg("%rsi"), stk(160), stk(16), reduce=False)
add_into(reg("%rsi"), reg("%rsi"), stk(112), reduce=False)
add_into(reg("%rsi"), plimb, stk(64), reduce=False)
plain_sub(stk(64), stk(160), stk(64))  # a0 + p - a1 in (0, 2p): no borrow
sop([(stk(16), stk(64))], "", stk(208))
sop([(stk(112), stk(160))], "    mov 8(%rsp), %rdi", reg("%rdi"))
w("    mov 0(%rsp), %rdi")
copy6(stk(208), reg("%rdi"))
epilogue("ol_bls12381_fp2_sqr", 256)

# (c00 + c01 u) + (c10 + c11 u) t = ((a0 + a1 u) + (b0 + b1 u) t)^2 in Fp4 = Fp2[t]/(t^2 - (1 + u)), all inputs below p:
# c00 = sa da + sb db + b0 (2p - 2 b1), c01 = a0 (2 a1) + sb db + b0 (2 b1), c10 = (2 a0) b0 + a1 (2p - 2 b1),
# c11 = (2 a0) b1 + (2 a1) b0 with s = x0 + x1 and d = x0 - x1 mod p (Bls12381FqArith.Fp4Square has the bounds).
# rdi c00, rsi c01, rdx c10, rcx c11, r8 a0, r9 a1, then b0 and b1 on the stack.
# frame: 0..24 the output pointers, 32 a0, 80 a1, 128 b0, 176 b1, 224 sa, 272 sb, 320 da, 368 db, 416 2p - 2b1,
# 464 2a0, 512 2a1, 560 2b1, 608..752 the four results
FP4 = 800
prologue("ol_bls12381_fp4_sqr", FP4)
w("    mov %rdi, 0(%rsp)")
w("    mov %rsi, 8(%rsp)")
w("    mov %rdx, 16(%rsp)")
w("    mov %rcx, 24(%rsp)")
copy6(reg("%r8"), stk(32))
copy6(reg("%r9"), stk(80))
w(f"    mov {FP4 + 48 + 8}(%rsp), %rcx")
copy6(reg("%rcx"), stk(128))
w(f"    mov {FP4 + 48 + 16}(%rsp), %rcx")
copy6(reg("%rcx"), stk(176))
add_into(stk(32), stk(80), stk(224), reduce=False)
add_into(stk(128), stk(176), stk(272), reduce=False)
sub_into(stk(32), stk(80), stk(320))
sub_into(stk(128), stk(176), stk(368))
p_minus(stk(176), stk(416))
add_into(stk(416), stk(416), stk(416), reduce=False)
add_into(stk(32), stk(32), stk(464), reduce=False)
add_into(stk(80), stk(80), stk(512), reduce=False)
add_into(stk(176), stk(176), stk(560), reduce=False)
sop([(stk(224), stk(320)), (stk(272), stk(368)), (stk(128), stk(416))], "", stk(608))
sop([(stk(32), stk(512)), (stk(272), stk(368)), (stk(128), stk(560))], "", stk(656))
sop([(stk(464), stk(128)), (stk(80), stk(416))], "", stk(704))
sop([(stk(464), stk(176)), (stk(512), stk(128))], "", stk(752))
for k in range(4):
    w(f"    mov {8 * k}(%rsp), %rdi")
    copy6(stk(608 + 48 * k), reg("%rdi"))
epilogue("ol_bls12381_fp4_sqr", FP4)

# r = a + b mod p, r = a - b mod p
prologue("ol_bls12381_fp_add", 0)
add_into(reg("%rsi"), reg("%rdx"), reg("%rdi"), regs=("%rax", "%rcx", "%r8", "%r9", "%r10", "%r11"))
epilogue("ol_bls12381_fp_add", 0)
prologue("ol_bls12381_fp_sub", 0)
sub_into(reg("%rsi"), reg("%rdx"), reg("%rdi"), regs=("%rax", "%rcx", "%r8", "%r9", "%r10", "%r11"))
epilogue("ol_bls12381_fp_sub", 0)

w("\n    .section .rodata\n    .p2align 6")
w(".Lp:")
for l in PL: w(f"    .quad 0x{l:016x}")
w(f".Ln0:\n    .quad 0x{N0:016x}")
w(".Lzero:\n    .quad 0")
w('    .section .note.GNU-stack,"",@progbits')
print("\n".join(out))
