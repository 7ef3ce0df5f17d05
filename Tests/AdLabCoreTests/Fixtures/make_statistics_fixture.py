#!/usr/bin/env python3
"""Generate statistics_fixture.json, the reference values for StatisticsTests.swift.

Run once from this directory (the output is committed; tests never run Python):

    python3 make_statistics_fixture.py > statistics_fixture.json

Reference implementations: scipy.stats (t.cdf, t.sf, t.ppf, norm.cdf, norm.ppf,
chi2.sf, chisquare, ttest_rel, ttest_ind(equal_var=False) with
.confidence_interval(0.95)). Holm-Bonferroni is computed below with plain
numpy (step-down, running maximum, capped at 1). The relative (ratio-of-means)
confidence intervals are not produced by scipy; they are computed below with
the same delta-method formula that Comparison.swift documents, as an
independent re-implementation of that formula.

Every float is written with Python's repr (shortest round-trip), so the JSON
holds exactly the float64 values scipy produced.
"""

import json
import sys

import numpy as np
import scipy
from scipy import stats

CONFIDENCE = 0.95


def relative_ci(control, treatment, paired, df):
    """Delta-method CI for mean(treatment)/mean(control) - 1 (see Comparison.swift)."""
    c = np.asarray(control, dtype=float)
    t = np.asarray(treatment, dtype=float)
    mc, mt = c.mean(), t.mean()
    vc = c.var(ddof=1) / c.size
    vt = t.var(ddof=1) / t.size
    cov = np.cov(c, t, ddof=1)[0, 1] / c.size if paired else 0.0
    ratio = mt / mc
    var_ratio = (vt - 2.0 * ratio * cov + ratio**2 * vc) / mc**2
    half = stats.t.ppf(1.0 - (1.0 - CONFIDENCE) / 2.0, df) * np.sqrt(var_ratio)
    lift = ratio - 1.0
    return lift - half, lift + half


def test_case(name, control, treatment, paired):
    control = [float(v) for v in control]
    treatment = [float(v) for v in treatment]
    if paired:
        res = stats.ttest_rel(treatment, control)
    else:
        res = stats.ttest_ind(treatment, control, equal_var=False)
    ci = res.confidence_interval(CONFIDENCE)
    df = float(res.df)
    rel_low, rel_high = relative_ci(control, treatment, paired, df)
    return {
        "name": name,
        "control": control,
        "treatment": treatment,
        "controlMean": float(np.mean(control)),
        "treatmentMean": float(np.mean(treatment)),
        "statistic": float(res.statistic),
        "degreesOfFreedom": df,
        "pValue": float(res.pvalue),
        "ciLower": float(ci.low),
        "ciUpper": float(ci.high),
        "relativeCILower": float(rel_low),
        "relativeCIUpper": float(rel_high),
    }


def holm(p):
    p = np.asarray(p, dtype=float)
    m = p.size
    order = np.argsort(p, kind="stable")
    stepped = (m - np.arange(m)) * p[order]
    adjusted_sorted = np.minimum(np.maximum.accumulate(stepped), 1.0)
    out = np.empty(m)
    out[order] = adjusted_sorted
    return out


def main():
    rng = np.random.default_rng(20240611)
    r4 = lambda a: np.round(a, 4)

    dfs = [1.0, 2.5, 5.0, 30.0, 1000.0]
    t_values = [-40.0, -6.5, -2.0, -0.1, 0.0, 0.7, 3.0, 12.0]
    t_cdf = [
        {"t": t, "df": df, "cdf": float(stats.t.cdf(t, df)), "twoSided": float(2.0 * stats.t.sf(abs(t), df))}
        for df in dfs
        for t in t_values
    ]
    # Large Welch degrees of freedom (millions of users).
    t_cdf += [
        {"t": t, "df": df, "cdf": float(stats.t.cdf(t, df)), "twoSided": float(2.0 * stats.t.sf(abs(t), df))}
        for df in [2.0e6, 1.0e9]
        for t in [-30.0, -1.3, 8.0]
    ]

    p_values = [1e-10, 1e-6, 0.001, 0.025, 0.3, 0.4999, 0.5, 0.8, 0.975, 0.999999]
    t_ppf = [{"p": p, "df": df, "quantile": float(stats.t.ppf(p, df))} for df in dfs for p in p_values]
    t_ppf += [{"p": p, "df": df, "quantile": float(stats.t.ppf(p, df))} for df in [2.0e6, 1.0e9] for p in [1e-10, 0.975]]

    norm_ps = [1e-300, 1e-250, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.02425, 0.1, 0.3, 0.4999999,
               0.5, 0.7, 0.975, 0.999, 0.9999999999]
    norm_ppf = [{"p": p, "quantile": float(stats.norm.ppf(p))} for p in norm_ps]
    norm_cdf = [{"x": x, "cdf": float(stats.norm.cdf(x))} for x in [-37.0, -20.0, -5.0, -1.0, 0.0, 0.3, 2.0, 8.0]]

    chi2_cases = [(3.84, 1.0), (0.5, 1.0), (10.0, 2.0), (100.0, 3.0), (30.0, 10.0), (0.001, 4.0),
                  (200.0, 50.0), (5.0, 0.5), (40.0, 2.0)]
    chi2_sf = [{"x": x, "df": df, "survival": float(stats.chi2.sf(x, df))} for x, df in chi2_cases]

    # Paired cases: treatment = control + effect + noise (correlated pairs).
    c12 = r4(rng.normal(10.0, 2.0, 12))
    t12 = r4(c12 + 0.6 + rng.normal(0.0, 1.0, 12))
    c30 = r4(rng.normal(0.05, 0.02, 30))
    t30 = r4(c30 + rng.normal(0.001, 0.01, 30))
    c40 = r4(rng.normal(100.0, 15.0, 40))
    t40 = r4(c40 + 5.0 + rng.normal(0.0, 1.0, 40))
    paired = [
        test_case("paired_n12", c12, t12, True),
        test_case("paired_n30_small_effect", c30, t30, True),
        test_case("paired_n40_tiny_p", c40, t40, True),
        test_case("paired_n2", [1.0, 2.0], [1.5, 3.5], True),
    ]

    wc15 = r4(rng.normal(5.0, 1.0, 15))
    wt20 = r4(rng.normal(5.8, 2.5, 20))
    wc8 = r4(rng.normal(1.0, 0.3, 8))
    wt50 = r4(rng.normal(3.0, 0.5, 50))
    conv_c = rng.binomial(1, 0.10, 200).astype(float)
    conv_t = rng.binomial(1, 0.14, 180).astype(float)
    welch = [
        test_case("welch_15_20", wc15, wt20, False),
        test_case("welch_8_50_tiny_p", wc8, wt50, False),
        test_case("welch_binary_200_180", conv_c, conv_t, False),
        test_case("welch_2_3", [1.0, 2.0], [2.0, 4.0, 9.0], False),
    ]

    summaries = []
    for name, values in [("summary_n12", c12), ("summary_binary_200", conv_c), ("summary_n2", [3.0, 4.5])]:
        values = [float(v) for v in values]
        n = len(values)
        mean = float(np.mean(values))
        sd = float(np.std(values, ddof=1))
        sem = float(stats.sem(values))
        low, high = stats.t.interval(CONFIDENCE, n - 1, loc=mean, scale=sem)
        summaries.append({"name": name, "values": values, "mean": mean, "standardDeviation": sd,
                          "standardError": sem, "ciLower": float(low), "ciUpper": float(high)})

    holm_inputs = [
        [0.01, 0.04, 0.03, 0.005, 0.2],
        [0.5, 0.3, 0.9, 0.3, 0.01],
    ]
    holm_cases = [{"p": p, "adjusted": [float(v) for v in holm(p)]} for p in holm_inputs]

    srm_inputs = [
        ([5000, 5200], [0.5, 0.5]),
        ([5000, 5600], [0.5, 0.5]),
        ([50000, 52000], [0.5, 0.5]),
        ([2500, 2450, 5150], [0.25, 0.25, 0.5]),
        ([3300, 3350, 3100], [1.0, 1.0, 1.0]),
    ]
    srm = []
    for observed, weights in srm_inputs:
        w = np.asarray(weights, dtype=float)
        expected = np.sum(observed) * w / w.sum()
        res = stats.chisquare(observed, expected)
        srm.append({
            "observed": observed,
            "weights": weights,
            "chiSquare": float(res.statistic),
            "degreesOfFreedom": len(observed) - 1,
            "pValue": float(res.pvalue),
        })

    fixture = {
        "generator": "python3 make_statistics_fixture.py > statistics_fixture.json",
        "scipyVersion": scipy.__version__,
        "numpyVersion": np.__version__,
        "studentTCDF": t_cdf,
        "studentTQuantile": t_ppf,
        "normalQuantile": norm_ppf,
        "normalCDF": norm_cdf,
        "chiSquaredSurvival": chi2_sf,
        "summaries": summaries,
        "paired": paired,
        "welch": welch,
        "holm": holm_cases,
        "sampleRatioMismatch": srm,
    }
    json.dump(fixture, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
