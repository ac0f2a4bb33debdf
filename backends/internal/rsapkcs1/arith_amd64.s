//go:build amd64 && !purego

#include "textflag.h"

// func addMulVVWAsm(z, x []uint64, y uint64) (c uint64)
//
// z[i] += x[i]*y with a running carry c, for i < len(z); returns the
// final carry. The word loop of Koç, Acar and Kaliski 1996
// (the inner loop of every Montgomery product and reduction here); the
// same kernel as math/big's addMulVVWW, written for this package. With
// BMI2 and ADX the products come from MULX, which leaves the flags alone,
// and two independent carry chains run side by side: ADCX (CF) adds the
// previous high word, ADOX (OF) adds z[i]; both flags are folded into the
// carry word once, after the last limb.
TEXT ·addMulVVWAsm(SB), NOSPLIT, $0-64
	MOVQ z_base+0(FP), DI
	MOVQ z_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	XORQ R8, R8 // carry
	XORQ R10, R10 // zero
	MOVQ CX, R11
	ANDQ $3, R11 // single limbs first
	SHRQ $2, CX // then groups of four
	CMPB ·useADX(SB), $0
	JNE adx

	MOVQ y+48(FP), BX
	TESTQ R11, R11
	JZ mulq4

mulq1:
	MOVQ (SI), AX
	MULQ BX
	ADDQ R8, AX
	ADCQ $0, DX
	ADDQ AX, (DI)
	ADCQ $0, DX
	MOVQ DX, R8
	LEAQ 8(SI), SI
	LEAQ 8(DI), DI
	DECQ R11
	JNZ mulq1

mulq4:
	TESTQ CX, CX
	JZ done

mulq4loop:
	MOVQ (SI), AX
	MULQ BX
	ADDQ R8, AX
	ADCQ $0, DX
	ADDQ AX, (DI)
	ADCQ $0, DX
	MOVQ DX, R8

	MOVQ 8(SI), AX
	MULQ BX
	ADDQ R8, AX
	ADCQ $0, DX
	ADDQ AX, 8(DI)
	ADCQ $0, DX
	MOVQ DX, R8

	MOVQ 16(SI), AX
	MULQ BX
	ADDQ R8, AX
	ADCQ $0, DX
	ADDQ AX, 16(DI)
	ADCQ $0, DX
	MOVQ DX, R8

	MOVQ 24(SI), AX
	MULQ BX
	ADDQ R8, AX
	ADCQ $0, DX
	ADDQ AX, 24(DI)
	ADCQ $0, DX
	MOVQ DX, R8

	LEAQ 32(SI), SI
	LEAQ 32(DI), DI
	DECQ CX
	JNZ mulq4loop
	JMP done

adx:
	MOVQ z_len+8(FP), BX
	MOVQ y+48(FP), DX
	CALL addMulADX<>(SB)

done:
	MOVQ R8, c+56(FP)
	RET

// addMulADX<> is the MULX/ADCX/ADOX loop of addMulVVWAsm with registers
// for arguments, shared with the Montgomery loops below: z[i] += x[i]*y
// for i < BX with DI = z, SI = x, DX = y; it returns the carry in R8 and
// leaves DI and SI just past the last limb. It clobbers AX, BX, CX, R8,
// R9 and R10 and keeps every other register.
TEXT addMulADX<>(SB), NOSPLIT, $0-0
	// The flags carry across limbs: JCXZQ, LEAQ, MOVQ and MULXQ leave CF
	// and OF alone, so the two chains are folded into the carry once, at
	// the end. Groups of eight here (a few per cent faster than four).
	XORQ R8, R8 // carry
	MOVQ BX, CX
	ANDQ $7, CX // single limbs first
	SHRQ $3, BX // then groups of eight
	XORQ R10, R10 // zero; clears CF and OF
	JCXZQ adx8

adx1:
	MULXQ (SI), AX, R9 // R9:AX = x[i]*y
	ADCXQ R8, AX
	ADOXQ (DI), AX
	MOVQ AX, (DI)
	MOVQ R9, R8
	LEAQ 8(SI), SI
	LEAQ 8(DI), DI
	LEAQ -1(CX), CX
	JCXZQ adx8
	JMP adx1

adx8:
	MOVQ BX, CX
	JMP adx8check

adx8loop:
	MULXQ 0(SI), AX, R9
	ADCXQ R8, AX
	ADOXQ 0(DI), AX
	MOVQ AX, 0(DI)
	MULXQ 8(SI), AX, R8
	ADCXQ R9, AX
	ADOXQ 8(DI), AX
	MOVQ AX, 8(DI)
	MULXQ 16(SI), AX, R9
	ADCXQ R8, AX
	ADOXQ 16(DI), AX
	MOVQ AX, 16(DI)
	MULXQ 24(SI), AX, R8
	ADCXQ R9, AX
	ADOXQ 24(DI), AX
	MOVQ AX, 24(DI)
	MULXQ 32(SI), AX, R9
	ADCXQ R8, AX
	ADOXQ 32(DI), AX
	MOVQ AX, 32(DI)
	MULXQ 40(SI), AX, R8
	ADCXQ R9, AX
	ADOXQ 40(DI), AX
	MOVQ AX, 40(DI)
	MULXQ 48(SI), AX, R9
	ADCXQ R8, AX
	ADOXQ 48(DI), AX
	MOVQ AX, 48(DI)
	MULXQ 56(SI), AX, R8
	ADCXQ R9, AX
	ADOXQ 56(DI), AX
	MOVQ AX, 56(DI)
	LEAQ 64(SI), SI
	LEAQ 64(DI), DI
	LEAQ -1(CX), CX

adx8check:
	// JCXZQ reaches only 127 bytes: the loop closes with a JMP.
	JCXZQ adxfold
	JMP adx8loop

adxfold:
	// The carry word cannot overflow: z + x*y + c over all limbs is below
	// 2^(64(len+1)).
	ADCXQ R10, R8
	ADOXQ R10, R8
	RET

// func redcADX(t, n []uint64, k uint64) (c uint64)
//
// Montgomery's REDC word by word over L = len(n) rows (the second loop of
// Koç, Acar and Kaliski's separated operand scanning): row i adds
// (t[i]*k mod 2^64)*n at limb i, which clears t[i], and carries into limb
// i+L. t has 2L limbs; the carry out of the top limb is returned (0 or
// 1: t + (R-1)*n < 2R^2 for t < R^2).
TEXT ·redcADX(SB), NOSPLIT, $0-64
	MOVQ t_base+0(FP), R12 // limb i of t
	MOVQ n_base+24(FP), R13
	MOVQ n_len+32(FP), R14 // rows left
	XORQ R11, R11 // carry into limb i+L
	TESTQ R14, R14
	JZ redcdone

redcrow:
	MOVQ (R12), DX
	IMULQ k+48(FP), DX // m = t[i]*k mod 2^64
	MOVQ R12, DI
	MOVQ R13, SI
	MOVQ n_len+32(FP), BX
	CALL addMulADX<>(SB) // DI is now limb i+L
	XORQ AX, AX
	ADDQ R8, (DI)
	ADCQ $0, AX
	ADDQ R11, (DI)
	ADCQ $0, AX
	MOVQ AX, R11
	LEAQ 8(R12), R12
	DECQ R14
	JNZ redcrow

redcdone:
	MOVQ R11, c+56(FP)
	RET

// func mulADX(t, x, y, n []uint64, k uint64) (c uint64)
//
// The row loop of [modulus.mul] (Koç, Acar and Kaliski's coarsely
// integrated operand scanning, as math/big's montgomery): per limb y[i],
// t += x*y[i] at limb i, then t += (t[i]*k mod 2^64)*n at limb i, which
// clears t[i]; both carries and the running carry go to limb i+L, which
// no row has written before. t has 2L zero limbs, L = len(n) = len(x) =
// len(y); the carry out of the top limb is returned (0 or 1).
TEXT ·mulADX(SB), NOSPLIT, $0-112
	MOVQ t_base+0(FP), R12 // limb i of t
	MOVQ y_base+48(FP), R13 // y[i]
	MOVQ n_len+80(FP), R14 // rows left
	XORQ R11, R11 // carry into limb i+L
	TESTQ R14, R14
	JZ muldone

mulrow:
	MOVQ R12, DI
	MOVQ x_base+24(FP), SI
	MOVQ (R13), DX
	MOVQ n_len+80(FP), BX
	CALL addMulADX<>(SB)
	MOVQ R8, (DI) // limb i+L holds the first carry meanwhile
	MOVQ (R12), DX
	IMULQ k+96(FP), DX // m = t[i]*k mod 2^64
	MOVQ R12, DI
	MOVQ n_base+72(FP), SI
	MOVQ n_len+80(FP), BX
	CALL addMulADX<>(SB) // DI is limb i+L again
	XORQ AX, AX
	ADDQ R8, (DI)
	ADCQ $0, AX
	ADDQ R11, (DI)
	ADCQ $0, AX
	MOVQ AX, R11
	LEAQ 8(R12), R12
	LEAQ 8(R13), R13
	DECQ R14
	JNZ mulrow

muldone:
	MOVQ R11, c+104(FP)
	RET

// func sqrRowsADX(t, x []uint64)
//
// The cross products of [modulus.sqr]: row i adds x[i]*x[j] for j > i at
// limbs 2i+1 ... i+L-1 of t and writes its carry to limb i+L, which no
// earlier row has reached. t has 2L zero limbs, L = len(x).
TEXT ·sqrRowsADX(SB), NOSPLIT, $0-48
	MOVQ t_base+0(FP), R12 // limb 2i+1 of t
	LEAQ 8(R12), R12
	MOVQ x_base+24(FP), R13 // x[i]
	MOVQ x_len+32(FP), R14
	DECQ R14 // L-1-i: the length of row i, and the rows left
	JLE sqrdone

sqrrow:
	MOVQ R12, DI
	LEAQ 8(R13), SI
	MOVQ (R13), DX
	MOVQ R14, BX
	CALL addMulADX<>(SB) // DI is limb i+L
	MOVQ R8, (DI)
	LEAQ 16(R12), R12
	LEAQ 8(R13), R13
	DECQ R14
	JNZ sqrrow

sqrdone:
	RET
