#!/usr/bin/env python3
"""Derives every constant and polynomial coefficient of AdLabMath and writes AdLabMath+Coefficients.swift.

Polynomials are near-minimax fits (mpmath.chebyfit: Chebyshev interpolation at high precision) of the
reduced functions named below; the script prints each fit's maximum relative error so a change is checked.
Run: python3 make_math_coefficients.py > AdLabMath+Coefficients.swift   (needs mpmath)
"""
import sys
import mpmath as mp

mp.mp.dps = 60
out = []


def d(x):
    """Hex literal of the double nearest x (exact, no decimal round trip)."""
    return float(mp.mpf(x)).hex()


def fit(name, f, a, b, degree):
    """Near-minimax polynomial for f on [a, b]; coefficients lowest degree first."""
    coeffs, err = mp.chebyfit(f, [a, b], degree + 1, error=True)
    coeffs = list(reversed(coeffs))
    # Relative error of the double-rounded coefficients, sampled densely.
    worst = mp.mpf(0)
    dc = [mp.mpf(float(c)) for c in coeffs]
    for i in range(401):
        x = a + (b - a) * mp.mpf(i) / 400
        fx = f(x)
        if fx == 0:
            continue
        p = mp.mpf(0)
        for c in reversed(dc):
            p = p * x + c
        worst = max(worst, abs((p - fx) / fx))
    print(f"{name}: degree {degree} on [{float(a)}, {float(b)}], max rel err {float(worst):.3e}", file=sys.stderr)
    return [float(c) for c in coeffs]


def array(name, values, doc):
    out.append(f"  /// {doc}")
    body = ",\n    ".join(", ".join(v.hex() if isinstance(v, float) else v for v in values[i:i + 3]) for i in range(0, len(values), 3))
    out.append(f"  static let {name}: [Double] = [\n    {body}]")


def const(name, value, doc):
    out.append(f"  /// {doc}")
    out.append(f"  static let {name}: Double = {value}")


def trailing_zero_split(x, keep_bits):
    """x rounded to `keep_bits` significant bits, so small-integer multiples of it are exact."""
    m, e = mp.frexp(x)
    scale = mp.mpf(2) ** keep_bits
    hi = mp.nint(m * scale) / scale * mp.mpf(2) ** e
    return hi, x - hi


ln2 = mp.log(2)

# exp: x = k·ln2/64 + r, |r| ≤ ln2/128; k·ln2/64 uses a 36-bit head so k·head is exact for |k| < 2^17.
hi, lo = trailing_zero_split(ln2 / 64, 36)
const("expReduceHead", d(hi), "ln2/64 to 36 bits: k·expReduceHead is exact for |k| < 2^17.")
const("expReduceTail", d(lo), "ln2/64 − expReduceHead.")
const("expReduceScale", d(64 / ln2), "64/ln2, to pick k.")
table_hi, table_lo = [], []
for j in range(64):
    t = mp.mpf(2) ** (mp.mpf(j) / 64)
    h = mp.mpf(float(t))
    table_hi.append(float(h)); table_lo.append(float(t - h))
array("expTableHead", table_hi, "2^(j/64), j = 0…63, rounded to double.")
array("expTableTail", table_lo, "2^(j/64) − expTableHead[j].")
R = ln2 / 128 * mp.mpf("1.0001")
array("expPoly", fit("exp", lambda r: (mp.exp(r) - 1 - r) / r**2 if r != 0 else mp.mpf(0.5), -R, R, 4),
      "(e^r − 1 − r)/r² on |r| ≤ ln2/128.")
array("expm1Poly", fit("expm1", lambda r: (mp.exp(r) - 1 - r) / r**2 if r != 0 else mp.mpf(0.5), -0.25, 0.25, 11),
      "(e^x − 1 − x)/x² on |x| ≤ 1/4.")

# log: x = 2^k·(1+f), √½ ≤ 1+f < √2, s = f/(2+f), log(1+f) = 2s + s·R(s²), R(z) = 2(z/3 + z²/5 + …).
hi, lo = trailing_zero_split(ln2, 42)
const("ln2Head", d(hi), "ln2 to 42 bits: k·ln2Head is exact for |k| < 2^11.")
const("ln2Tail", d(lo), "ln2 − ln2Head.")
zmax = ((mp.sqrt(2) - 1) / (mp.sqrt(2) + 1)) ** 2 * mp.mpf("1.0001")
array("logPoly", fit("log", lambda z: (2 * mp.atanh(mp.sqrt(z)) / mp.sqrt(z) - 2) / z if z != 0 else mp.mpf(2) / 3, 0, zmax, 8),
      "R(z)/z with R(z) = 2·atanh(√z)/√z − 2, on 0 ≤ z ≤ ((√2−1)/(√2+1))².")

# sin/cos on |r| ≤ π/4 after reduction by π/2 (three 33-bit pieces: k·piece exact for |k| < 2^20).
p1, rest = trailing_zero_split(mp.pi / 2, 33)
p2, rest = trailing_zero_split(rest, 33)
p3 = rest
const("halfPi1", d(p1), "π/2 to 33 bits.")
const("halfPi2", d(p2), "next 33 bits of π/2.")
const("halfPi3", d(p3), "π/2 − halfPi1 − halfPi2, rounded.")
const("twoOverPi", d(2 / mp.pi), "2/π, to pick the quadrant.")
Z = (mp.pi / 4) ** 2 * mp.mpf("1.0001")
array("sinPoly", fit("sin", lambda z: (mp.sin(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z)**3 if z != 0 else mp.mpf(-1) / 6, 0, Z, 6),
      "(sin r − r)/r³ in z = r², |r| ≤ π/4.")
array("cosPoly", fit("cos", lambda z: (mp.cos(mp.sqrt(z)) - 1 + z / 2) / z**2 if z != 0 else mp.mpf(1) / 24, 0, Z, 6),
      "(cos r − 1 + r²/2)/r⁴ in z = r², |r| ≤ π/4.")
# 2/π bits for large-argument reduction: 1200 bits, as 64-bit words (most significant first).
with mp.workdps(420):
    bits = int(mp.floor((2 / mp.pi) * mp.mpf(2) ** 1216))
words = []
for i in range(19):
    words.append(int(bits) >> (1216 - 64 * (i + 1)) & ((1 << 64) - 1))
out.append("  /// The fraction bits of 2/π, 64 per word, most significant first (2/π = 0.101000101111…₂).")
out.append("  static let twoOverPiWords: [UInt64] = [\n    " + ",\n    ".join(", ".join(f"0x{w:016x}" for w in words[i:i+3]) for i in range(0, len(words), 3)) + "]")

# atan: breakpoints 7/16, 11/16, 19/16, 39/16 (fdlibm's choice), reduced |t| ≤ 7/16.
for name, v in [("atanHalf", mp.atan(0.5)), ("atanOne", mp.atan(1)), ("atanThreeHalves", mp.atan(1.5)), ("atanInfinity", mp.pi / 2)]:
    h = mp.mpf(float(v))
    const(name + "Head", d(h), f"atan value at a breakpoint, rounded.")
    const(name + "Tail", d(v - h), "its rounding remainder.")
T = (mp.mpf(7) / 16) ** 2 * mp.mpf("1.0001")
array("atanPoly", fit("atan", lambda z: (mp.sqrt(z) - mp.atan(mp.sqrt(z))) / mp.sqrt(z)**3 if z != 0 else mp.mpf(1) / 3, 0, T, 11),
      "(t − atan t)/t³ in z = t², |t| ≤ 7/16.")
const("pi", d(mp.pi), "π rounded.")
const("piTail", d(mp.pi - mp.mpf(float(mp.pi))), "π − pi.")

# erf on |x| < 0.84375: erf(x) = x + x·Q(x²).
E = mp.mpf(0.84375) ** 2 * mp.mpf("1.0001")
array("erfPoly", fit("erf", lambda z: mp.erf(mp.sqrt(z)) / mp.sqrt(z) - 1 if z != 0 else 2 / mp.sqrt(mp.pi) - 1, 0, E, 16),
      "erf(x)/x − 1 in z = x², |x| < 0.84375.")
# erfc for x ≥ 1/4: erfc(x) = e^(−x²)·g(x), g = erfcx; pieces in u = x − centre, then in w = 1/x for x ≥ 5.
erfcx = lambda x: mp.exp(x * x) * mp.erfc(x)
pieces = [(0.25, 0.5), (0.5, 0.84375), (0.84375, 1.25), (1.25, 1.75), (1.75, 2.5), (2.5, 3.5), (3.5, 5.0)]
ends, centres, flat = [], [], []
for a, b in pieces:
    c = (a + b) / 2
    coeffs = fit(f"erfcx[{a},{b}]", lambda u, c=c: erfcx(c + u), a - c, b - c, 21)
    ends.append(b); centres.append(c); flat += coeffs
array("erfcxPieceEnd", ends, "upper ends of the erfcx pieces (u = x − centre).")
array("erfcxPieceCentre", centres, "centres of the erfcx pieces.")
array("erfcxPoly", flat, "erfcx(centre + u), 22 coefficients per piece.")
array("erfcxFar", fit("x·erfcx, w=1/x in [1/28, 1/5]", lambda w: erfcx(1 / w) / w, mp.mpf(1) / 28, mp.mpf(1) / 5, 18),
      "x·erfcx(x) in w = 1/x for 5 ≤ x ≤ 28.")

# lgamma: on [1/2, 3] lgamma(x) = (x−1)(x−2)·h(x); on [3, 10] lgamma directly; x ≥ 10 Stirling.
def lgamma_over_zeros(x):
    if x == 1 or x == 2:  # removable singularity: the derivative over the other factor
        return mp.diff(mp.loggamma, x) / ((x - 2) if x == 1 else (x - 1))
    return mp.loggamma(x) / ((x - 1) * (x - 2))


near, ncen = [], []
for a, b in [(0.5, 1.0), (1.0, 1.5), (1.5, 2.0), (2.0, 2.5), (2.5, 3.0)]:
    c = (a + b) / 2
    near += fit(f"lgamma/(x-1)(x-2) [{a},{b}]", lambda u, c=c: lgamma_over_zeros(c + u), a - c, b - c, 21)
    ncen.append(c)
array("lgammaNearPoly", near, "lgamma(x)/((x−1)(x−2)) in u = x − centre, pieces of width ½ on [½, 3], 22 each.")
mid = []
for a in range(3, 10):
    c = a + 0.5
    mid += fit(f"lgamma [{a},{a+1}]", lambda u, c=c: mp.loggamma(c + u), -0.5, 0.5, 19)
array("lgammaMidPoly", mid, "lgamma(centre + u), |u| ≤ ½, centres 3.5…9.5, 20 each.")
const("halfLogTwoPi", d(mp.log(2 * mp.pi) / 2), "½·ln(2π).")
const("logPi", d(mp.log(mp.pi)), "ln π.")
stirling = [float(mp.bernoulli(2 * k) / (2 * k * (2 * k - 1))) for k in range(1, 9)]
array("stirlingPoly", stirling, "B₂ₖ/(2k(2k−1)), the Stirling series of lgamma in 1/x² (Bernoulli numbers; exact facts).")

print("// Generated by make_math_coefficients.py — do not edit; rerun the script instead.\n")
print("/// Constants and polynomial coefficients of `AdLabMath`, derived by `make_math_coefficients.py`.")
print("enum AdLabMathCoefficients {")
print("\n".join(out))
print("}")
