#!/usr/bin/env python3
"""Correctly rounded references for AdLabMath, from mpmath at 60 digits.

Writes math_fixtures_double.txt and math_fixtures_float.txt, one point per line:
    function  x-bits  [y-bits for atan2]  reference-bits  residual
where reference-bits is the exact value rounded to the type and residual = (exact − reference)/ulp(reference)
in thousandths, so a test can measure fractional ulp errors. Inputs: seeded uniform and log-uniform draws over
each function's range plus edge regions (tiny, near 0, near overflow/underflow, near lgamma's zeros and poles,
huge sin/cos arguments). Run: python3 make_math_fixtures.py   (needs mpmath; deterministic)
"""
import random
import struct
import mpmath as mp

mp.mp.dps = 60
rng = random.Random(20261206)


def bits64(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def bits32(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def to32(x):
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:  # beyond Float's range
        return float("inf") if x > 0 else float("-inf")


def round_to(v, single):
    """Nearest double (or float) to the mpf v, and the residual in thousandths of its ulp."""
    if single:
        if abs(v) >= (2 - mp.mpf(2) ** -24) * mp.mpf(2) ** 127:
            return float("inf"), 0
        with mp.workprec(24):  # nearest float, from the exact value (no double rounding)
            r = float(+mp.mpf(v)) if abs(v) >= mp.mpf(2) ** -126 else None
        if r is None:  # float subnormal: fixed absolute ulp 2^−149
            r = float(mp.nint(v * mp.mpf(2) ** 149) / mp.mpf(2) ** 149)
        r = to32(r)
        ulp_exp = max(mp.floor(mp.log(abs(r), 2)) if r != 0 else -149, -126) - 23
    else:
        r = float(v)
        ulp_exp = max(mp.floor(mp.log(abs(r), 2)) if r != 0 else -1074, -1022) - 52
    if r in (float("inf"), float("-inf")):
        return r, 0
    residual = int(mp.nint((v - mp.mpf(r)) / mp.mpf(2) ** ulp_exp * 1000))
    return r, residual


def uniform(a, b, n):
    return [rng.uniform(a, b) for _ in range(n)]


def loguniform(a, b, n, signed=False):
    out = [10 ** rng.uniform(a, b) for _ in range(n)]
    return [x * rng.choice([-1, 1]) if signed else x for x in out]


funcs = {
    "exp": (mp.exp, uniform(-745, 709.7, 150) + uniform(-1, 1, 100) + loguniform(-300, -1, 50, True)
            + [709.78, 709.782712893384, -744.4, -708.3, -720.5, 1e-320, 0.5, 1.0, 2.0, 0.693147180559945]),
    "exp2": (lambda x: mp.mpf(2) ** x, uniform(-1074, 1023.9, 150) + uniform(-1, 1, 100) + [0.5, 3.0, -1022.5, 1023.99]),
    "expm1": (mp.expm1, uniform(-40, 709, 100) + uniform(-1, 1, 150) + loguniform(-20, -1, 100, True) + [0.25, -0.25, 0.2500001, -0.26, 1e-300]),
    "log": (mp.log, loguniform(-307, 307, 150) + uniform(0.5, 2, 150) + loguniform(-323, -308, 20)
            + [1 + 2 ** -52, 1 - 2 ** -53, 1.4142135623730951, 0.7071067811865476, 2.0, 10.0]),
    "log1p": (mp.log1p, loguniform(-300, 300, 150) + uniform(-0.999, 1, 150) + loguniform(-20, -1, 50, True)
              + [-0.2928932188134524, 0.41421356237309503, -1 + 2 ** -53, 1e-300]),
    "tanh": (mp.tanh, uniform(-23, 23, 150) + uniform(-1, 1, 150) + loguniform(-20, 0, 60, True) + [0.55, 1.0, 22.0, 2 ** -28]),
    "sigmoid": (lambda x: 1 / (1 + mp.exp(-x)), uniform(-745, 40, 150) + uniform(-5, 5, 150) + loguniform(-20, 0, 50, True) + [0.0, 36.7, -36.7]),
    "erf": (mp.erf, uniform(-6.5, 6.5, 200) + uniform(-1, 1, 100) + loguniform(-20, 0, 50, True) + [0.84375, 0.84374999, 6.0, 5.92]),
    "erfc": (mp.erfc, uniform(-6.5, 27.3, 200) + uniform(-1, 1, 80) + uniform(20, 27.3, 50) + loguniform(-20, 0, 40, True)
             + [0.25, 0.2499999, 5.0, 4.99999, 26.5, 27.2]),
    "lgamma": (lambda x: mp.log(abs(mp.gamma(x))) if x < 171 else mp.loggamma(x),
               uniform(0.01, 10, 120) + uniform(10, 200, 60) + loguniform(2.3, 305, 60) + loguniform(-30, -1, 30)
               + uniform(0.9, 1.1, 30) + uniform(1.9, 2.1, 30) + [0.5, 1.5, 2.5, 3.0, 2.9999999, 9.99999, 10.0]
               + [-x - rng.uniform(0.1, 0.9) for x in range(0, 20)] + [-0.5, -1.5, -2.5, -7.5]),
    "sin": (mp.sin, uniform(-10, 10, 150) + uniform(-1e5, 1e5, 60) + loguniform(5.9, 300, 60, True) + loguniform(-20, 0, 40, True)
            + [0.7853981633974483, 3.141592653589793, 1e22, 1e300, 5e5, 823549.0, 6381956970095103.0 * 2 ** 797]),
    "cos": (mp.cos, uniform(-10, 10, 150) + uniform(-1e5, 1e5, 60) + loguniform(5.9, 300, 60, True) + loguniform(-20, 0, 40, True)
            + [0.7853981633974483, 1.5707963267948966, 1e22, 1e300, 5e5, 823549.0]),
    "atan": (mp.atan, uniform(-5, 5, 200) + loguniform(-20, 20, 100, True)
             + [0.4375, 0.6875, 1.1875, 2.4375, 0.43749999, 1e300, 2 ** 66, 2 ** -29]),
}

double_lines, float_lines = [], []
for name, (f, xs) in funcs.items():
    for x in xs:
        x = float(x)
        v = f(mp.mpf(x))
        r, res = round_to(v, False)
        double_lines.append(f"{name} {bits64(x):016x} {bits64(r):016x} {res}")
    # Float: the same kind of points rounded to Float, about 250 per function.
    for x in xs[:250]:
        x32 = to32(float(x))
        if x32 in (float("inf"), float("-inf")):
            continue
        v = f(mp.mpf(x32))
        r, res = round_to(v, True)
        if r in (float("inf"), float("-inf")) or (r == 0 and v != 0):
            continue
        float_lines.append(f"{name} {bits32(x32):08x} {bits32(r):08x} {res}")

# atan2: both arguments, all four quadrants and magnitudes.
pairs = [(rng.uniform(-10, 10), rng.uniform(-10, 10)) for _ in range(250)] + \
        [(10 ** rng.uniform(-30, 30) * rng.choice([-1, 1]), 10 ** rng.uniform(-30, 30) * rng.choice([-1, 1])) for _ in range(100)]
for y, x in pairs:
    v = mp.atan2(mp.mpf(y), mp.mpf(x))
    r, res = round_to(v, False)
    double_lines.append(f"atan2 {bits64(y):016x} {bits64(x):016x} {bits64(r):016x} {res}")
    y32, x32 = to32(y), to32(x)
    v = mp.atan2(mp.mpf(y32), mp.mpf(x32))
    r, res = round_to(v, True)
    float_lines.append(f"atan2 {bits32(y32):08x} {bits32(x32):08x} {bits32(r):08x} {res}")

with open("math_fixtures_double.txt", "w") as fh:
    fh.write("\n".join(double_lines) + "\n")
with open("math_fixtures_float.txt", "w") as fh:
    fh.write("\n".join(float_lines) + "\n")
print(len(double_lines), "double points,", len(float_lines), "float points")
