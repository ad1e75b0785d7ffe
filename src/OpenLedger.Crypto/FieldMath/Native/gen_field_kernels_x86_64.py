"""Writes field_kernels_x86_64.s (run: python3 gen_field_kernels_x86_64.py > field_kernels_x86_64.s).

Montgomery arithmetic for the pairing fields and modexp, x86-64 (System V ABI) with BMI2 (mulx) and ADX (adcx/adox): the two
independent carry chains that C# cannot express, which is what makes the products 2.4x (and the tower 3x) faster than
the managed code. BLS12-381 (6 limbs, xi = 1 + u; prefix ol_bls12381_) gets the full set the KZG check uses; BN254
(4 limbs, xi = 9 + u; prefix ol_bn254_) the Fp2 and tower products its pairing uses; ol_mont_mul is a Montgomery
product for any odd modulus (modexp). Loaded by NativeFq, NativeBn254Fq and NativeMontMul; the managed code stays the
reference and the fallback, and the tests compare the two.

The multiplication is CIOS, one row per limb of the right operand: t += a*b_i (adox adds the low halves, adcx the
high halves), then m = t0 * (-p^-1 mod 2^64), t += m*p, t >>= 64. The carry word lives in an extra register, so any
row sum below 2^(64(N+1)) is exact: callers keep the sum of left operands below R - p, and the final value below 2p
for the one conditional subtraction (the bounds the managed code documents; for BN254 4p < R = 2^256 holds).
Elements sit in 48-byte slots whatever N is (the managed Limbs6); kernels read and write only the N low limbs.
"""

out = []
def w(s): out.append(s)

# Per-field settings, set by emit_field before it emits anything.
N = 6            # limbs
NAME = ""        # symbol prefix
XI = 1           # xi = XI + u
FULL = True      # also the Fp4 square, the line product and the compressed cyclotomic squaring (BLS12-381)
PL_ = N0_ = ""   # labels of p's limbs and of -p^-1 mod 2^64
EXTRA = 0        # extra frame bytes for the wider xi scratch



T0 = ["%r8", "%r9", "%r10", "%r11", "%rbx", "%rbp", "%r12"]
HI, LO = "%r13", "%r14"
SAVED = ["%rbx", "%rbp", "%r12", "%r13", "%r14", "%r15"]

def prologue(name, frame):
    w(f"\n    .globl {name}\n    .type {name},@function\n    .p2align 5\n{name}:\n.L{name}:")
    for r in SAVED: w(f"    push {r}")
    if frame: w(f"    sub ${frame}, %rsp")

def epilogue(name, frame):
    if frame: w(f"    add ${frame}, %rsp")
    for r in reversed(SAVED): w(f"    pop {r}")
    w("    ret")
    w(f"    .size {name}, .-{name}")

def copy6(src, dst, tmp="%rax"):
    """Copies the N limbs of one element (slots are 48 bytes whatever N is; the limbs above N stay untouched)."""
    for j in range(N):
        w(f"    mov {src(j)}, {tmp}")
        w(f"    mov {tmp}, {dst(j)}")

def sop(pairs, dst_reg_loader, dst):
    """t = sum over pairs of L*R, Montgomery-reduced one row at a time (CIOS with the carry word kept in a 7th
    register, adox for the low halves and adcx for the high halves). pairs: [(L, R)] with L, R: j -> operand string.
    dst_reg_loader: code that loads the destination pointer into a register; dst: j -> destination operand."""
    t = list(T0[:N + 1])
    for r in t: w(f"    xor {r}, {r}")
    for i in range(N):
        for (L, R) in pairs:
            w(f"    mov {R(i)}, %rdx")
            w("    xor %eax, %eax")
            for j in range(N):
                w(f"    mulx {L(j)}, {LO}, {HI}")
                w(f"    adox {LO}, {t[j]}")
                w(f"    adcx {HI}, {t[j + 1]}")
            w(f"    adox .Lzero(%rip), {t[N]}")
        w(f"    mov {t[0]}, %rdx")
        w(f"    imul {N0_}(%rip), %rdx")
        w("    xor %eax, %eax")
        for j in range(N):
            w(f"    mulx {PL_}+{8 * j}(%rip), {LO}, {HI}")
            w(f"    adox {LO}, {t[j]}")
            w(f"    adcx {HI}, {t[j + 1]}")
        w(f"    adox .Lzero(%rip), {t[N]}")
        t = t[1:] + [t[0]]  # t0 is now zero: it becomes the top word
    # t < 2p: subtract p once if t >= p
    d = ["%rax", "%rdx", HI, LO, "%r15", t[N]][:N]
    for j in range(N): w(f"    mov {t[j]}, {d[j]}")
    for j in range(N): w(f"    {'sub' if j == 0 else 'sbb'} {PL_}+{8 * j}(%rip), {d[j]}")
    for j in range(N): w(f"    cmovc {t[j]}, {d[j]}")
    w(dst_reg_loader)
    for j in range(N): w(f"    mov {d[j]}, {dst(j)}")

def reg(r): return lambda j: f"{8 * j}({r})"
def stk(off): return lambda j: f"{off + 8 * j}(%rsp)"
def plimb(j): return f"{PL_}+{8 * j}(%rip)"

def add_into(a, b, dst, reduce=True, regs=("%rax", "%rdx", "%r8", "%r9", "%r10", "%r11"), tmp=("%rbx", "%rbp", "%r12", "%r13", "%r14", "%r15")):
    """dst = a + b (mod p when reduce; both below p). Without reduce: the plain sum (below 2^384 by the caller)."""
    for j in range(N): w(f"    mov {a(j)}, {regs[j]}")
    for j in range(N): w(f"    {'add' if j == 0 else 'adc'} {b(j)}, {regs[j]}")
    if reduce:
        for j in range(N): w(f"    mov {regs[j]}, {tmp[j]}")
        for j in range(N): w(f"    {'sub' if j == 0 else 'sbb'} {plimb(j)}, {tmp[j]}")
        for j in range(N): w(f"    cmovc {regs[j]}, {tmp[j]}")
        for j in range(N): w(f"    mov {tmp[j]}, {dst(j)}")
    else:
        for j in range(N): w(f"    mov {regs[j]}, {dst(j)}")

def sub_into(a, b, dst, regs=("%rax", "%rdx", "%r8", "%r9", "%r10", "%r11"), tmp=("%rbx", "%rbp", "%r12", "%r13", "%r14", "%r15")):
    """dst = a - b mod p (both below p)."""
    for j in range(N): w(f"    mov {a(j)}, {regs[j]}")
    for j in range(N): w(f"    {'sub' if j == 0 else 'sbb'} {b(j)}, {regs[j]}")
    w(f"    sbb {tmp[0]}, {tmp[0]}")  # all ones on borrow
    for j in range(1, N): w(f"    mov {tmp[0]}, {tmp[j]}")
    for j in range(N): w(f"    and {plimb(j)}, {tmp[j]}")
    for j in range(N): w(f"    {'add' if j == 0 else 'adc'} {tmp[j]}, {regs[j]}")
    for j in range(N): w(f"    mov {regs[j]}, {dst(j)}")

def plain_sub(a, b, dst, regs=("%rax", "%rdx", "%r8", "%r9", "%r10", "%r11")):
    """dst = a - b, no reduction (the caller knows a >= b)."""
    for j in range(N): w(f"    mov {a(j)}, {regs[j]}")
    for j in range(N): w(f"    {'sub' if j == 0 else 'sbb'} {b(j)}, {regs[j]}")
    for j in range(N): w(f"    mov {regs[j]}, {dst(j)}")

def p_minus(b, dst, regs=("%rax", "%rdx", "%r8", "%r9", "%r10", "%r11")):
    """dst = p - b (b at most p): in [0, p]."""
    for j in range(N): w(f"    mov {plimb(j)}, {regs[j]}")
    for j in range(N): w(f"    {'sub' if j == 0 else 'sbb'} {b(j)}, {regs[j]}")
    for j in range(N): w(f"    mov {regs[j]}, {dst(j)}")


def emit_field(name, p, n, xi, full):
    global N, NAME, XI, FULL, PL_, N0_, EXTRA
    N, NAME, XI, FULL = n, name, xi, full
    PL_, N0_ = f".L{name}p", f".L{name}n0"
    EXTRA = 0 if xi == 1 else 48
    w(f"\n# ---- {name}: p = 0x{p:x}, {n} limbs, xi = {xi} + u")
    w("    .text")
    # r = a*b/R mod p: rdi r, rsi a, rdx b
    prologue(NAME + "fp_mul", 8)
    w("    mov %rdi, 0(%rsp)")
    w("    mov %rdx, %rcx")
    sop([(reg("%rsi"), reg("%rcx"))], "    mov 0(%rsp), %rdi", reg("%rdi"))
    epilogue(NAME + "fp_mul", 8)

    # r = (a*b + c*d)/R mod p: rdi r, rsi a, rdx b, rcx c, r8 d (b and d copied to the frame)
    prologue(NAME + "fp_sop2", 8 + 96)
    w("    mov %rdi, 0(%rsp)")
    copy6(reg("%rdx"), stk(8))
    copy6(reg("%r8"), stk(56))
    sop([(reg("%rsi"), stk(8)), (reg("%rcx"), stk(56))], "    mov 0(%rsp), %rdi", reg("%rdi"))
    epilogue(NAME + "fp_sop2", 8 + 96)

    if FULL:
        # r = (a*b + c*d + e*f)/R mod p: rdi r, rsi a, rdx b, rcx c, r8 d, r9 e, f on the stack
        # after the six pushes and the frame, f's pointer is at frame + 48 + 8(%rsp)
        prologue(NAME + "fp_sop3", 8 + 144)
        w("    mov %rdi, 0(%rsp)")
        copy6(reg("%rdx"), stk(8))
        copy6(reg("%r8"), stk(56))
        w(f"    mov {8 + 144 + 48 + 8}(%rsp), %rax")
        copy6(reg("%rax"), stk(104), tmp="%rdx")
        w("    mov %r9, %rdi")
        sop([(reg("%rsi"), stk(8)), (reg("%rcx"), stk(56)), (reg("%rdi"), stk(104))], "    mov 0(%rsp), %rdi", reg("%rdi"))
        epilogue(NAME + "fp_sop3", 8 + 144)

    # (r0 + r1 u) = (a0 + a1 u)(b0 + b1 u): rdi r0, rsi r1, rdx a0, rcx a1, r8 b0, r9 b1
    # r0 = a0 b0 + a1 (p - b1), r1 = a0 b1 + a1 b0, both as sums of products.
    # frame: 0 r0, 8 r1, 16 b0, 64 b1, 112 p - b1, 160 r0 result
    prologue(NAME + "fp2_mul", 208)
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
    epilogue(NAME + "fp2_mul", 208)

    # (r0 + r1 u) = (a0 + a1 u)^2: rdi r0, rsi r1, rdx a0, rcx a1
    # r0 = (a0 + a1)(a0 + p - a1), r1 = (2 a0) a1, sums unreduced (below 2p, products below 4p^2 < pR).
    # frame: 0 r0, 8 r1, 16 s, 64 d, 112 2a0, 160 a1, 208 r0 result
    prologue(NAME + "fp2_sqr", 256)
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
    epilogue(NAME + "fp2_sqr", 256)

    if FULL:
        # (c00 + c01 u) + (c10 + c11 u) t = ((a0 + a1 u) + (b0 + b1 u) t)^2 in Fp4 = Fp2[t]/(t^2 - (1 + u)), all inputs below p:
        # c00 = sa da + sb db + b0 (2p - 2 b1), c01 = a0 (2 a1) + sb db + b0 (2 b1), c10 = (2 a0) b0 + a1 (2p - 2 b1),
        # c11 = (2 a0) b1 + (2 a1) b0 with s = x0 + x1 and d = x0 - x1 mod p (Bls12381FqArith.Fp4Square has the bounds).
        # rdi c00, rsi c01, rdx c10, rcx c11, r8 a0, r9 a1, then b0 and b1 on the stack.
        # frame: 0..24 the output pointers, 32 a0, 80 a1, 128 b0, 176 b1, 224 sa, 272 sb, 320 da, 368 db, 416 2p - 2b1,
        # 464 2a0, 512 2a1, 560 2b1, 608..752 the four results
        FP4 = 800
        prologue(NAME + "fp4_sqr", FP4)
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
        epilogue(NAME + "fp4_sqr", FP4)

    # ---- The tower above Fp2, for the pairing's hot loops. Fp2 = 2 consecutive Fp (96 bytes), Fp6 = 3 Fp2 (c0 + c1 v +
    # c2 v^2, v^3 = xi = 1 + u), Fp12 = 2 Fp6 (c0 + c1 w, w^2 = v), the layout of the managed Fp12<Fp<..>> structs.
    # Pointers live in rbx, rbp, r12 (callee-saved, so they survive the calls to the Fp2 kernels); the inline additions
    # use the other registers. Locations are (base register, byte offset).
    SCR1 = ("%rax", "%rcx", "%rdx", "%rsi", "%rdi", "%r8")
    SCR2 = ("%r9", "%r10", "%r11", "%r13", "%r14", "%r15")

    def at(loc, k=0): return lambda j: f"{loc[1] + 48 * k + 8 * j}({loc[0]})"
    def sub2(loc, k): return (loc[0], loc[1] + 96 * k)     # k-th Fp2 of an Fp6 / Fp4 group
    def sub6(loc, k): return (loc[0], loc[1] + 288 * k)    # k-th Fp6 of an Fp12
    def lea(loc, r): w(f"    lea {loc[1]}({loc[0]}), {r}")

    def fadd(d, a, b): add_into(a, b, d, True, regs=SCR1, tmp=SCR2)
    def fsub(d, a, b): sub_into(a, b, d, regs=SCR1, tmp=SCR2)
    def f2add(d, a, b):
        for k in range(2): fadd(at(d, k), at(a, k), at(b, k))
    def f2sub(d, a, b):
        for k in range(2): fsub(at(d, k), at(a, k), at(b, k))
    def f2xi(d, a, tmp):
        """d = xi a with xi = XI + u: (XI a0 - a1) + (a0 + XI a1) u. tmp: scratch for one Fp (XI = 1) or two; d may alias a."""
        if XI == 1:
            fsub(at(tmp), at(a, 0), at(a, 1))
            fadd(at(d, 1), at(a, 0), at(a, 1))
            copy6(at(tmp), at(d, 0))
            return
        x, y = at(tmp, 0), at(tmp, 1)
        mul_small(x, at(a, 0), XI); fsub(x, x, at(a, 1))
        mul_small(y, at(a, 1), XI); fadd(y, y, at(a, 0))
        copy6(x, at(d, 0)); copy6(y, at(d, 1))
    def mul_small(d, a, k):
        """d = k a mod p by doublings and additions (d must not alias a)."""
        copy6(a, d)
        for bit in bin(k)[3:]:
            fadd(d, d, d)
            if bit == '1': fadd(d, d, a)
    def f2copy(d, a):
        for k in range(2): copy6(at(a, k), at(d, k))
    def f2mul(d, a, b):
        lea(d, "%rdi"); lea((d[0], d[1] + 48), "%rsi"); lea(a, "%rdx"); lea((a[0], a[1] + 48), "%rcx")
        lea(b, "%r8"); lea((b[0], b[1] + 48), "%r9")
        w("    call .L" + NAME + "fp2_mul")
    def f6add(d, a, b):
        for k in range(3): f2add(sub2(d, k), sub2(a, k), sub2(b, k))
    def f6sub(d, a, b):
        for k in range(3): f2sub(sub2(d, k), sub2(a, k), sub2(b, k))
    def f6copy(d, a):
        for k in range(3): f2copy(sub2(d, k), sub2(a, k))
    def f6mul(d, a, b):
        lea(d, "%rdi"); lea(a, "%rsi"); lea(b, "%rdx")
        w("    call .L" + NAME + "fp6_mul")

    def tower_fn(name, frame, args):
        """Prologue that parks the pointer arguments in rbx, rbp, r12 (frame rounded so calls see an aligned stack)."""
        frame += (8 - frame % 16) % 16
        prologue(name, frame)
        for src, dst in list(zip(("%rdi", "%rsi", "%rdx"), ("%rbx", "%rbp", "%r12")))[:args]:
            w(f"    mov {src}, {dst}")
        return frame

    R, A, B = ("%rbx", 0), ("%rbp", 0), ("%r12", 0)
    def F(off): return ("%rsp", off)

    # r = a * b in Fp6 (Karatsuba: six Fp2 products). rdi r, rsi a, rdx b; r may alias a or b.
    fr = tower_fn(NAME + "fp6_mul", 8 * 96 + 288 + 48 + EXTRA, 3)
    T0, T1, T2, SA, SB, M, X = (F(96 * i) for i in range(7))
    OUT, TMP = F(672), F(960)
    f2mul(T0, sub2(A, 0), sub2(B, 0))
    f2mul(T1, sub2(A, 1), sub2(B, 1))
    f2mul(T2, sub2(A, 2), sub2(B, 2))
    f2add(SA, sub2(A, 1), sub2(A, 2)); f2add(SB, sub2(B, 1), sub2(B, 2)); f2mul(M, SA, SB)
    f2sub(M, M, T1); f2sub(M, M, T2); f2xi(X, M, TMP); f2add(sub2(OUT, 0), X, T0)
    f2add(SA, sub2(A, 0), sub2(A, 1)); f2add(SB, sub2(B, 0), sub2(B, 1)); f2mul(M, SA, SB)
    f2sub(M, M, T0); f2sub(M, M, T1); f2xi(X, T2, TMP); f2add(sub2(OUT, 1), M, X)
    f2add(SA, sub2(A, 0), sub2(A, 2)); f2add(SB, sub2(B, 0), sub2(B, 2)); f2mul(M, SA, SB)
    f2sub(M, M, T0); f2sub(M, M, T2); f2add(sub2(OUT, 2), M, T1)
    f6copy(R, OUT)
    epilogue(NAME + "fp6_mul", fr)

    def v_times(d, a, tmp):
        """d = v a in Fp6: (xi a2, a0, a1); d must not alias a."""
        f2xi(sub2(d, 0), sub2(a, 2), tmp); f2copy(sub2(d, 1), sub2(a, 0)); f2copy(sub2(d, 2), sub2(a, 1))

    # r = a * b in Fp12 (Karatsuba over w: three Fp6 products). rdi r, rsi a, rdx b; r may alias a or b.
    fr = tower_fn(NAME + "fp12_mul", 6 * 288 + 48 + EXTRA, 3)
    T0, T1, SA, SB, C1, VT, TMP = F(0), F(288), F(576), F(864), F(1152), F(1440), F(1728)
    f6mul(T0, sub6(A, 0), sub6(B, 0))
    f6mul(T1, sub6(A, 1), sub6(B, 1))
    f6add(SA, sub6(A, 0), sub6(A, 1)); f6add(SB, sub6(B, 0), sub6(B, 1)); f6mul(C1, SA, SB)
    f6sub(C1, C1, T0); f6sub(C1, C1, T1)
    v_times(VT, T1, TMP); f6add(sub6(R, 0), T0, VT); f6copy(sub6(R, 1), C1)
    epilogue(NAME + "fp12_mul", fr)

    # r = a^2 in Fp12: (c0 + c1 w)^2 = (c0 + c1)(c0 + v c1) - c0 c1 - v c0 c1 + 2 c0 c1 w. rdi r, rsi a; r may alias a.
    fr = tower_fn(NAME + "fp12_sqr", 5 * 288 + 48 + EXTRA, 2)
    AB, SA, SB, T, VT, TMP = F(0), F(288), F(576), F(864), F(1152), F(1440)
    f6mul(AB, sub6(A, 0), sub6(A, 1))
    f6add(SA, sub6(A, 0), sub6(A, 1))
    v_times(VT, sub6(A, 1), TMP); f6add(SB, sub6(A, 0), VT)
    f6mul(T, SA, SB)
    f6sub(T, T, AB); v_times(VT, AB, TMP); f6sub(sub6(R, 0), T, VT)
    f6add(sub6(R, 1), AB, AB)
    epilogue(NAME + "fp12_sqr", fr)

    if FULL:
        # r = f * ((1 + e1 v) + (e4 v) w) (a normalized Miller-loop line): nine Fp2 products, as NormalizedLines.MulBy014One.
        # rdi r, rsi f, rdx e1, rcx e4 (both Fp2, copied to the frame); r may alias f.
        fr = tower_fn(NAME + "fp12_mul_by_014_one", 3 * 288 + 576 + 4 * 96 + 48 + EXTRA, 2)
        AA, BB, S, OUT = F(0), F(288), F(576), F(864)
        E1, E4, U, P2, TMP = F(1440), F(1536), F(1632), F(1728), F(1824)
        for k in range(2): copy6(at(("%rdx", 0), k), at(E1, k), tmp="%rax")
        for k in range(2): copy6(at(("%rcx", 0), k), at(E4, k), tmp="%rax")
        f0, f1 = sub6(A, 0), sub6(A, 1)
        f2mul(P2, E1, sub2(f0, 2)); f2xi(P2, P2, TMP); f2add(sub2(AA, 0), sub2(f0, 0), P2)
        f2mul(P2, E1, sub2(f0, 0)); f2add(sub2(AA, 1), sub2(f0, 1), P2)
        f2mul(P2, E1, sub2(f0, 1)); f2add(sub2(AA, 2), sub2(f0, 2), P2)
        f2mul(P2, E4, sub2(f1, 2)); f2xi(sub2(BB, 0), P2, TMP)
        f2mul(sub2(BB, 1), E4, sub2(f1, 0))
        f2mul(sub2(BB, 2), E4, sub2(f1, 1))
        f6add(S, f0, f1); f2add(U, E1, E4)
        f2mul(P2, U, sub2(S, 2)); f2xi(P2, P2, TMP)
        # ss = (s0 + xi u s2, s1 + u s0, s2 + u s1), computed into OUT.C1 before s is overwritten
        c1 = sub6(OUT, 1)
        f2add(sub2(c1, 0), sub2(S, 0), P2)
        f2mul(P2, U, sub2(S, 0)); f2add(sub2(c1, 1), sub2(S, 1), P2)
        f2mul(P2, U, sub2(S, 1)); f2add(sub2(c1, 2), sub2(S, 2), P2)
        f6sub(c1, c1, AA); f6sub(c1, c1, BB)
        c0 = sub6(OUT, 0)
        f2xi(P2, sub2(BB, 2), TMP); f2add(sub2(c0, 0), sub2(AA, 0), P2)
        f2add(sub2(c0, 1), sub2(AA, 1), sub2(BB, 0))
        f2add(sub2(c0, 2), sub2(AA, 2), sub2(BB, 1))
        f6copy(sub6(R, 0), c0); f6copy(sub6(R, 1), c1)
        epilogue(NAME + "fp12_mul_by_014_one", fr)

    if FULL:
        # One compressed cyclotomic squaring in place on g = (g2, g3, g4, g5), four consecutive Fp2 (CompressedCyclotomic.Square):
        # (b0, b1) = (g2 + g3 t)^2, (c0, c1) = (g4 + g5 t)^2 in Fp4; g2' = 2(xi c1 + g2) + xi c1, g3' = 2(c0 - g3) + c0,
        # g4' = 2(b0 - g4) + b0, g5' = 2(b1 + g5) + b1. rdi g.
        fr = tower_fn(NAME + "cyclotomic_sqr_compressed", 16 + 2 * 192 + 2 * 96 + 48 + EXTRA, 1)
        BQ, CQ, XC, Y, TMP = F(16), F(208), F(400), F(496), F(592)
        G = R
        def fp4sq(out, x, y):
            lea(out, "%rdi"); lea((out[0], out[1] + 48), "%rsi"); lea((out[0], out[1] + 96), "%rdx"); lea((out[0], out[1] + 144), "%rcx")
            lea(x, "%r8"); lea((x[0], x[1] + 48), "%r9")
            lea(y, "%rax"); w("    mov %rax, 0(%rsp)"); lea((y[0], y[1] + 48), "%rax"); w("    mov %rax, 8(%rsp)")
            w("    call .L" + NAME + "fp4_sqr")
        fp4sq(BQ, sub2(G, 0), sub2(G, 1))
        fp4sq(CQ, sub2(G, 2), sub2(G, 3))
        b0, b1, c0_, c1_ = sub2(BQ, 0), sub2(BQ, 1), sub2(CQ, 0), sub2(CQ, 1)
        f2xi(XC, c1_, TMP)
        f2add(Y, XC, sub2(G, 0)); f2add(Y, Y, Y); f2add(sub2(G, 0), Y, XC)
        f2sub(Y, c0_, sub2(G, 1)); f2add(Y, Y, Y); f2add(sub2(G, 1), Y, c0_)
        f2sub(Y, b0, sub2(G, 2)); f2add(Y, Y, Y); f2add(sub2(G, 2), Y, b0)
        f2add(Y, b1, sub2(G, 3)); f2add(Y, Y, Y); f2add(sub2(G, 3), Y, b1)
        epilogue(NAME + "cyclotomic_sqr_compressed", fr)

    if FULL:
        # ---- G1 (y^2 = x^3 + 4) in Jacobian coordinates: X, Y, Z are three consecutive Fp (the managed
        # JacobianPoint<Fq>); an affine point is X, Y. The caller handles the identity and Y = 0 (G1Ops); the
        # additions return 1 when the points are equal (the caller doubles) and 2 when they are opposite (identity),
        # 0 when they wrote the sum. Products go through the Fp kernel (a call keeps the code small).
        def fmul(d, a, b):
            lea(d, "%rdi"); lea(a, "%rsi"); lea(b, "%rdx")
            w("    call .L" + NAME + "fp_mul")
        def fsop(d, a, b, c, e):
            lea(d, "%rdi"); lea(a, "%rsi"); lea(b, "%rdx"); lea(c, "%rcx"); lea(e, "%r8")
            w("    call .L" + NAME + "fp_sop2")
        def fa(d, a, b): fadd(at(d), at(a), at(b))
        def fs(d, a, b): fsub(at(d), at(a), at(b))
        def fcopy(d, a): copy6(at(a), at(d))
        def fjne(a, b, label):
            """Jumps to label unless a == b (both canonical)."""
            w(f"    mov {at(a)(0)}, %rax")
            w(f"    xor {at(b)(0)}, %rax")
            for j in range(1, N):
                w(f"    mov {at(a)(j)}, %rcx")
                w(f"    xor {at(b)(j)}, %rcx")
                w("    or %rcx, %rax")
            w(f"    jnz {label}")
        def pt(loc, k): return (loc[0], loc[1] + 48 * k)
        def special(done_label, ne_label, y1, y2):
            """Reached when the x coordinates match: eax = 1 if the y coordinates match too, else 2; then done."""
            lbl = f".L{NAME}{CUR}_opposite"
            fjne(y1, y2, lbl)
            w("    mov $1, %eax")
            w(f"    jmp {done_label}")
            w(f"{lbl}:")
            w("    mov $2, %eax")
            w(f"    jmp {done_label}")
            w(f"{ne_label}:")

        # [2]P (G1Ops.Double): B = Y^2, S = 4XB, M = 3X^2, X3 = M^2 - 2S, Y3 = M(S - X3) + B(p - 8B), Z3 = 2YZ.
        # rdi r, rsi p; r may alias p.
        fr = tower_fn(NAME + "g1_dbl", 10 * 48, 2)
        P_ = A
        SA, SB, B4, S_, M_, X3, T_, NB8, Y3, Z3 = (F(48 * i) for i in range(10))
        fmul(SA, pt(P_, 0), pt(P_, 0))
        fmul(SB, pt(P_, 1), pt(P_, 1))
        fa(B4, SB, SB); fa(B4, B4, B4)
        fmul(S_, pt(P_, 0), B4)
        fa(M_, SA, SA); fa(M_, M_, SA)
        fmul(X3, M_, M_); fa(T_, S_, S_); fs(X3, X3, T_)
        fa(NB8, B4, B4)
        for j in range(N): w(f"    movq $0, {at(T_)(j)}")
        fs(NB8, T_, NB8)
        fs(T_, S_, X3)
        fsop(Y3, M_, T_, SB, NB8)
        fmul(Z3, pt(P_, 1), pt(P_, 2)); fa(Z3, Z3, Z3)
        fcopy(pt(R, 0), X3); fcopy(pt(R, 1), Y3); fcopy(pt(R, 2), Z3)
        epilogue(NAME + "g1_dbl", fr)

        # P + Q, both Jacobian (add-2007-bl). rdi r, rsi p, rdx q; r may alias either. Returns 0, 1 or 2 (above).
        CUR = "g1_add"
        fr = tower_fn(NAME + CUR, 16 * 48, 3)
        P_, Q_ = A, B
        Z1Z1, Z2Z2, U1, U2, S1, S2, H, I, J, RR, V, X3, Y3, Z3, T_, T2 = (F(48 * i) for i in range(16))
        fmul(Z1Z1, pt(P_, 2), pt(P_, 2)); fmul(Z2Z2, pt(Q_, 2), pt(Q_, 2))
        fmul(U1, pt(P_, 0), Z2Z2); fmul(U2, pt(Q_, 0), Z1Z1)
        fmul(S1, pt(P_, 1), pt(Q_, 2)); fmul(S1, S1, Z2Z2)
        fmul(S2, pt(Q_, 1), pt(P_, 2)); fmul(S2, S2, Z1Z1)
        done, ne = f".L{NAME}{CUR}_done", f".L{NAME}{CUR}_general"
        fjne(U1, U2, ne)
        special(done, ne, S1, S2)
        fs(H, U2, U1)
        fa(I, H, H); fmul(I, I, I)
        fmul(J, H, I)
        fs(RR, S2, S1); fa(RR, RR, RR)
        fmul(V, U1, I)
        fmul(X3, RR, RR); fs(X3, X3, J); fa(T_, V, V); fs(X3, X3, T_)
        fs(Y3, V, X3); fmul(Y3, RR, Y3); fmul(T_, S1, J); fa(T_, T_, T_); fs(Y3, Y3, T_)
        fa(Z3, pt(P_, 2), pt(Q_, 2)); fmul(Z3, Z3, Z3); fs(Z3, Z3, Z1Z1); fs(Z3, Z3, Z2Z2); fmul(Z3, Z3, H)
        fcopy(pt(R, 0), X3); fcopy(pt(R, 1), Y3); fcopy(pt(R, 2), Z3)
        w("    xor %eax, %eax")
        w(f"{done}:")
        epilogue(NAME + CUR, fr)

        # P + Q with Q affine (madd-2007-bl). rdi r, rsi p (Jacobian), rdx q (affine); r may alias p. Returns 0, 1, 2.
        CUR = "g1_add_affine"
        fr = tower_fn(NAME + CUR, 12 * 48, 3)
        P_, Q_ = A, B
        Z1Z1, U2, S2, H, HH, I, J, RR, V, X3, Y3, Z3 = (F(48 * i) for i in range(12))
        fmul(Z1Z1, pt(P_, 2), pt(P_, 2))
        fmul(U2, pt(Q_, 0), Z1Z1)
        fmul(S2, pt(Q_, 1), pt(P_, 2)); fmul(S2, S2, Z1Z1)
        done, ne = f".L{NAME}{CUR}_done", f".L{NAME}{CUR}_general"
        fjne(pt(P_, 0), U2, ne)
        special(done, ne, pt(P_, 1), S2)
        fs(H, U2, pt(P_, 0))
        fmul(HH, H, H)
        fa(I, HH, HH); fa(I, I, I)
        fmul(J, H, I)
        fs(RR, S2, pt(P_, 1)); fa(RR, RR, RR)
        fmul(V, pt(P_, 0), I)
        fmul(X3, RR, RR); fs(X3, X3, J); fa(Y3, V, V); fs(X3, X3, Y3)
        fs(Y3, V, X3); fmul(Y3, RR, Y3); fmul(Z3, pt(P_, 1), J); fa(Z3, Z3, Z3); fs(Y3, Y3, Z3)
        fa(Z3, pt(P_, 2), H); fmul(Z3, Z3, Z3); fs(Z3, Z3, Z1Z1); fs(Z3, Z3, HH)
        fcopy(pt(R, 0), X3); fcopy(pt(R, 1), Y3); fcopy(pt(R, 2), Z3)
        w("    xor %eax, %eax")
        w(f"{done}:")
        epilogue(NAME + CUR, fr)

    # r = a + b mod p, r = a - b mod p
    prologue(NAME + "fp_add", 0)
    add_into(reg("%rsi"), reg("%rdx"), reg("%rdi"), regs=("%rax", "%rcx", "%r8", "%r9", "%r10", "%r11"))
    epilogue(NAME + "fp_add", 0)
    prologue(NAME + "fp_sub", 0)
    sub_into(reg("%rsi"), reg("%rdx"), reg("%rdi"), regs=("%rax", "%rcx", "%r8", "%r9", "%r10", "%r11"))
    epilogue(NAME + "fp_sub", 0)


    w("\n    .section .rodata\n    .p2align 6")
    w(f"{PL_}:")
    for i in range(n): w(f"    .quad 0x{(p >> (64 * i)) & (2**64 - 1):016x}")
    w(f"{N0_}:\n    .quad 0x{(-pow(p, -1, 2**64)) % 2**64:016x}")


def emit_mont_mul_any():
    """ol_mont_mul(r, a, b, q, n, t, n0): r = a*b/2^(64n) mod q for any n >= 1 limbs (modexp's odd moduli), CIOS
    with loops. rdi r, rsi a, rdx b, rcx q, r8 n, r9 t (scratch of 2n + 2 limbs), n0 = -q^-1 mod 2^64 on the stack.
    Inputs below q; r may alias a or b (written last). Row i accumulates into t + 8i, so nothing is shifted: after
    row i the limb at t + 8i is zero and the next row starts one limb up; the result is the n + 1 limbs at t + 8n,
    below 2q, then one conditional subtraction. The inner loops count with lea and jrcxz, which leave CF and OF (the
    two carry chains) alone."""
    name = "ol_mont_mul"
    w(f"\n    .globl {name}\n    .type {name},@function\n    .p2align 5\n{name}:")
    for r in SAVED: w(f"    push {r}")
    w("    sub $8, %rsp")
    w("    mov %rdi, 0(%rsp)")           # r
    w(f"    mov {8 + 48 + 8}(%rsp), %r12")  # n0
    w("    mov %rdx, %r10")               # b, advanced per row
    w("    mov %rcx, %r11")               # q
    # zero t: 2n + 2 limbs
    w("    lea 1(%r8), %rcx")
    w("    add %rcx, %rcx")
    w("    mov %r9, %rdi")
    w("    xor %eax, %eax")
    w("    rep stosq")
    w("    mov %r8, %rdi")                # rows left
    w("    mov %r9, %rbx")                # t_i = t + 8i
    w(".Lmm_row:")
    # t_i[0..n+1] += a * b_i
    w("    mov (%r10), %rdx")
    w("    mov %rsi, %r13")               # a_j
    w("    mov %rbx, %r14")               # t_i + 8j
    w("    mov %r8, %rcx")
    w("    xor %ebp, %ebp")               # previous high half; also clears CF and OF
    w(".Lmm_a:")
    w("    mulx (%r13), %r15, %rax")
    w("    mov (%r14), %r9")
    w("    adox %r15, %r9")
    w("    adcx %rbp, %r9")
    w("    mov %r9, (%r14)")
    w("    mov %rax, %rbp")
    w("    lea 8(%r13), %r13")
    w("    lea 8(%r14), %r14")
    w("    lea -1(%rcx), %rcx")
    w("    jrcxz .Lmm_a_done")
    w("    jmp .Lmm_a")
    w(".Lmm_a_done:")
    w("    mov (%r14), %r9")              # t_i[n] += high + CF + OF
    w("    adox .Lzero(%rip), %r9")
    w("    adcx %rbp, %r9")
    w("    mov %r9, (%r14)")
    w("    mov 8(%r14), %r9")             # t_i[n+1] += the carries out of that
    w("    adox .Lzero(%rip), %r9")
    w("    adcx .Lzero(%rip), %r9")
    w("    mov %r9, 8(%r14)")
    # t_i += m q with m = t_i[0] n0: t_i[0] becomes zero
    w("    mov (%rbx), %rdx")
    w("    imul %r12, %rdx")
    w("    mov %r11, %r13")
    w("    mov %rbx, %r14")
    w("    mov %r8, %rcx")
    w("    xor %ebp, %ebp")
    w(".Lmm_q:")
    w("    mulx (%r13), %r15, %rax")
    w("    mov (%r14), %r9")
    w("    adox %r15, %r9")
    w("    adcx %rbp, %r9")
    w("    mov %r9, (%r14)")
    w("    mov %rax, %rbp")
    w("    lea 8(%r13), %r13")
    w("    lea 8(%r14), %r14")
    w("    lea -1(%rcx), %rcx")
    w("    jrcxz .Lmm_q_done")
    w("    jmp .Lmm_q")
    w(".Lmm_q_done:")
    w("    mov (%r14), %r9")
    w("    adox .Lzero(%rip), %r9")
    w("    adcx %rbp, %r9")
    w("    mov %r9, (%r14)")
    w("    mov 8(%r14), %r9")
    w("    adox .Lzero(%rip), %r9")
    w("    adcx .Lzero(%rip), %r9")
    w("    mov %r9, 8(%r14)")
    w("    lea 8(%rbx), %rbx")
    w("    lea 8(%r10), %r10")
    w("    dec %rdi")
    w("    jnz .Lmm_row")
    # u = t[n..2n] (rbx = t + 8n), below 2q. d = u - q over n + 1 limbs (q's limb n is zero); r = borrow ? u : d.
    w("    mov 0(%rsp), %rdi")
    w("    mov %rbx, %r13")
    w("    mov %r11, %r14")
    w("    mov %rdi, %r15")
    w("    mov %r8, %rcx")
    w("    clc")
    w(".Lmm_sub:")
    w("    mov (%r13), %rax")
    w("    sbb (%r14), %rax")
    w("    mov %rax, (%r15)")
    w("    lea 8(%r13), %r13")
    w("    lea 8(%r14), %r14")
    w("    lea 8(%r15), %r15")
    w("    lea -1(%rcx), %rcx")
    w("    jrcxz .Lmm_sub_done")
    w("    jmp .Lmm_sub")
    w(".Lmm_sub_done:")
    w("    mov (%r13), %rax")
    w("    sbb $0, %rax")                 # top limb minus the borrow: negative (borrow) iff u < q
    w("    jnc .Lmm_done")                # u >= q: r already holds u - q
    w("    mov %rbx, %rsi")               # u < q: r = u
    w("    mov %r8, %rcx")
    w("    rep movsq")
    w(".Lmm_done:")
    w("    add $8, %rsp")
    for r in reversed(SAVED): w(f"    pop {r}")
    w("    ret")
    w(f"    .size {name}, .-{name}")


w("# Generated by gen_field_kernels_x86_64.py; do not edit by hand.")
w("# Montgomery arithmetic (R = 2^(64 N)) for the BLS12-381 and BN254 base fields, x86-64 System V, BMI2 + ADX.")
w("# Every function takes pointers to elements in 48-byte slots (N little-endian 64-bit limbs); outputs may alias inputs.")
emit_field("ol_bls12381_", 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab, 6, 1, True)
emit_field("ol_bn254_", 21888242871839275222246405745257275088696311157297823662689037894645226208583, 4, 9, False)
w("\n# ---- Montgomery product for any odd modulus (modexp)\n    .text")
emit_mont_mul_any()
w("\n    .section .rodata\n    .p2align 3")
w(".Lzero:\n    .quad 0")
w('    .section .note.GNU-stack,"",@progbits')
print("\n".join(out))
