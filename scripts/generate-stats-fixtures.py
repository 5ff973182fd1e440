#!/usr/bin/python3
"""Generate the reference fixtures for src/core/stats (tests/fixtures/stats/*.json).

Run with Debian's interpreter, which has statsmodels and pandas (apt: python3-statsmodels,
python3-pandas):

    /usr/bin/python3 scripts/generate-stats-fixtures.py

The fixtures are committed; the TypeScript tests only read them and never run Python. Every input
series is written into the fixture so that TypeScript reads exactly the numbers Python used.
Floats are written with Python's shortest round-trip repr; NaN is written as null.

Contents
- mackinnon.json   mackinnonp / mackinnoncrit over a grid, scipy norm.cdf over a grid.
- adf_macro.json   statsmodels macrodata realgdp / infl: adfuller for every regression and
                   autolag (AIC, BIC, t-stat, None with maxlag 4, None with maxlag 1).
- adf_synthetic.json  seeded random walks, AR(1) phi=0.5, near unit root phi=0.99, a trending
                   series; adfuller for every regression and autolag; coint on seeded pairs;
                   half-life and Hurst.
- real_<capture>.json  real Binance captures at 1 s: per-symbol 1 s closes, aligned closes,
                   OLS, rolling OLS, spread z-score, log returns, rolling corr and vol, ADF,
                   coint, half-life, Hurst, Kalman (numpy implementation of Chan's equations).
"""

from __future__ import annotations

import glob
import gzip
import json
import math
import os
import sys
import warnings

import numpy as np
import pandas as pd
import scipy
import statsmodels
import statsmodels.api as sm
from scipy.stats import norm
from statsmodels.tsa.adfvalues import mackinnoncrit, mackinnonp
from statsmodels.tsa.stattools import adfuller, coint
from statsmodels.tsa.tsatools import add_trend

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "stats")
DATA = os.environ.get("PAIRDESK_REAL_DATA", os.path.join(ROOT, "tests", "fixtures", "binance-real"))

W = 60  # rolling window used for the real-data fixtures (bars)
KALMAN_DEFAULT = {"delta": 1e-7, "ve": 10.0}  # PairDesk defaults (see src/core/stats/kalman.ts)
KALMAN_CHAN = {"delta": 1e-4, "ve": 1e-3}  # Chan (2013) ETF parameters

REGRESSIONS = ["c", "ct", "ctt", "n"]


def clean(v):
    """JSON-safe: numpy -> python, NaN -> None, +-inf -> strings."""
    if isinstance(v, dict):
        return {str(k): clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    if isinstance(v, np.ndarray):
        return [clean(x) for x in v.tolist()]
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return None
        if math.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        return f
    return v


def write(name, obj):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(clean(obj), f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def adf_record(x, regression, autolag, maxlag):
    res = adfuller(x, maxlag=maxlag, regression=regression, autolag=autolag)
    rec = {
        "regression": regression,
        "autolag": autolag,
        "maxlag": maxlag,
        "stat": res[0],
        "pvalue": res[1],
        "usedlag": res[2],
        "nobs": res[3],
        "crit": [res[4]["1%"], res[4]["5%"], res[4]["10%"]],
        "icbest": res[5] if autolag is not None else None,
    }
    return rec


def adf_grid(x, maxlags_none=(4,)):
    out = []
    for reg in REGRESSIONS:
        for autolag in ["AIC", "BIC", "t-stat"]:
            out.append(adf_record(x, reg, autolag, None))
        for ml in maxlags_none:
            out.append(adf_record(x, reg, None, ml))
    return out


def coint_record(y0, y1, autolag="aic", maxlag=None, trend="c"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stat, p, crit = coint(y0, y1, trend=trend, autolag=autolag, maxlag=maxlag)
    # the lag used by the ADF on the residuals (coint does not return it)
    xx = np.asarray(y1, float)[:, None] if trend == "n" else add_trend(np.asarray(y1, float)[:, None], trend=trend, prepend=False)
    ols = sm.OLS(y0, xx).fit()
    used = None
    if np.isfinite(stat):
        used = adfuller(ols.resid, maxlag=maxlag, autolag=autolag, regression="n")[2]
    return {
        "trend": trend,
        "autolag": autolag,
        "maxlag": maxlag,
        "stat": stat,
        "pvalue": p,
        "crit": list(crit),
        "usedlag": used,
    }


def half_life_record(s):
    s = np.asarray(s, float)
    ds = np.diff(s)
    lag = s[:-1]
    res = sm.OLS(ds, sm.add_constant(lag)).fit()
    lam = res.params[1]
    return {"lambda": lam, "intercept": res.params[0], "halfLife": (-math.log(2) / lam) if lam < 0 else None}


def hurst_record(x, max_lags=100):
    """arbitragelab get_hurst_exponent: variance of lagged differences."""
    x = np.asarray(x, float)
    lags = range(2, max_lags)
    tau = [np.sqrt(np.std(np.subtract(x[lag:], x[:-lag]))) for lag in lags]
    poly = np.polyfit(np.log(lags), np.log(tau), 1)
    return {"maxLags": max_lags, "hurst": poly[0] * 2.0}


def kalman_numpy(y, x, delta, ve):
    """Chan (2013) hedge-ratio Kalman filter, matrix form, theta0 = 0, P0 = 0."""
    n = len(y)
    theta = np.zeros(2)
    P = np.zeros((2, 2))
    Vw = delta / (1 - delta) * np.eye(2)
    beta = np.zeros(n)
    alpha = np.zeros(n)
    priorBeta = np.zeros(n)
    priorAlpha = np.zeros(n)
    e = np.zeros(n)
    sq = np.zeros(n)
    for t in range(n):
        F = np.array([x[t], 1.0])
        R = P + Vw
        priorBeta[t] = theta[0]
        priorAlpha[t] = theta[1]
        yhat = F @ theta
        e[t] = y[t] - yhat
        Q = F @ R @ F + ve
        sq[t] = np.sqrt(Q)
        K = R @ F / Q
        theta = theta + K * e[t]
        P = R - np.outer(K, F) @ R
        beta[t] = theta[0]
        alpha[t] = theta[1]
    return {
        "delta": delta,
        "ve": ve,
        "priorBeta": priorBeta,
        "priorAlpha": priorAlpha,
        "beta": beta,
        "alpha": alpha,
        "e": e,
        "sqrtQ": sq,
    }


def rolling_ols_longdouble(a, b, w):
    """Rolling OLS of a on b with intercept, exact two-pass in extended precision."""
    n = len(a)
    beta = np.full(n, np.nan)
    alpha = np.full(n, np.nan)
    A = np.asarray(a, dtype=np.longdouble)
    B = np.asarray(b, dtype=np.longdouble)
    for t in range(w - 1, n):
        wa = A[t - w + 1 : t + 1]
        wb = B[t - w + 1 : t + 1]
        ma = wa.mean()
        mb = wb.mean()
        sbb = ((wb - mb) ** 2).sum()
        sab = ((wa - ma) * (wb - mb)).sum()
        if sbb == 0:
            continue
        bt = sab / sbb
        beta[t] = float(bt)
        alpha[t] = float(ma - bt * mb)
    return beta, alpha


# ----------------------------------------------------------------------------------------------
def gen_mackinnon():
    stats = [round(v, 4) for v in np.arange(-20.0, 3.5, 0.137)] + [
        -4.0,
        -3.0,
        -2.0,
        -1.61,
        -2.62,
        -2.89,
        -1.04,
        -3.21,
        0.0,
        1.0,
        2.74,
        2.75,
        -18.83,
        -18.84,
        -30.0,
        5.0,
    ]
    pv = []
    for reg in REGRESSIONS:
        for N in range(1, 7):
            pv.append({"regression": reg, "N": N, "stats": stats, "p": [mackinnonp(s, reg, N) for s in stats]})
    crit = []
    for reg in REGRESSIONS:
        Ns = [1] if reg == "n" else list(range(1, 13))
        for N in Ns:
            for nobs in [10, 25, 50, 100, 203, 250, 500, 1000, 1973, 10000]:
                crit.append({"regression": reg, "N": N, "nobs": nobs, "crit": list(mackinnoncrit(N, reg, nobs))})
            crit.append({"regression": reg, "N": N, "nobs": None, "crit": list(mackinnoncrit(N, reg, np.inf))})
    xs = list(np.linspace(-38, 9, 941)) + [-40.0, -37.5, -10.0, -8.3, -1e-10, 0.0, 1e-10, 0.5, 8.3, 40.0]
    ncdf = {"x": xs, "cdf": [norm.cdf(v) for v in xs]}
    write("mackinnon.json", {"pvalues": pv, "crit": crit, "normCdf": ncdf})


def gen_macro():
    data = sm.datasets.macrodata.load_pandas().data
    out = {}
    for name in ["realgdp", "infl"]:
        x = data[name].values.astype(float)
        out[name] = {"x": x, "adf": adf_grid(x, maxlags_none=(4, 1))}
    # statsmodels' own test values (test_stattools.py)
    out["statsmodelsTests"] = [
        {"series": "realgdp", "regression": "c", "maxlag": 4, "stat": 0.97505319, "pvalue": 0.99399563, "crit": [-3.476, -2.883, -2.573]},
        {"series": "realgdp", "regression": "ct", "maxlag": 4, "stat": -1.8566374, "pvalue": 0.67682968, "crit": [-4.007, -3.437, -3.137]},
        {"series": "realgdp", "regression": "n", "maxlag": 4, "stat": 3.5227498, "pvalue": 0.99999, "crit": [-2.587, -1.950, -1.617]},
        {"series": "infl", "regression": "c", "maxlag": 1, "stat": -4.3346988, "pvalue": 0.00038661, "crit": [-3.476, -2.883, -2.573]},
        {"series": "infl", "regression": "ct", "maxlag": 1, "stat": -4.425093, "pvalue": 0.00199633, "crit": [-4.006, -3.437, -3.137]},
        {"series": "infl", "regression": "n", "maxlag": 1, "stat": -2.4511596, "pvalue": 0.013747, "crit": [-2.587, -1.950, -1.617]},
    ]
    # coint between realgdp and realcons (log levels), both autolag and fixed lag
    y0 = np.log(data["realcons"].values.astype(float))
    y1 = np.log(data["realgdp"].values.astype(float))
    out["coint"] = {
        "y0": y0,
        "y1": y1,
        "results": [coint_record(y0, y1, "aic"), coint_record(y0, y1, "bic"), coint_record(y0, y1, "t-stat"), coint_record(y0, y1, None, 4)],
    }
    write("adf_macro.json", out)


def gen_synthetic():
    rng = np.random.default_rng(20240808)
    series = {}
    series["rw500"] = np.cumsum(rng.standard_normal(500)) + 100.0
    e = rng.standard_normal(300)
    ar = np.zeros(300)
    for t in range(1, 300):
        ar[t] = 0.5 * ar[t - 1] + e[t]
    series["ar05_300"] = ar
    e = rng.standard_normal(1000)
    nu = np.zeros(1000)
    for t in range(1, 1000):
        nu[t] = 0.99 * nu[t - 1] + e[t]
    series["ar099_1000"] = nu
    t = np.arange(250, dtype=float)
    series["trend250"] = 0.05 * t + 0.002 * t * t + np.cumsum(rng.standard_normal(250)) * 0.5
    # a random walk at BTC scale with small steps
    series["btcLike400"] = 60000.0 + np.round(np.cumsum(rng.standard_normal(400)) * 3.0, 1)

    out = {"series": {}, "coint": []}
    for name, x in series.items():
        rec = {"x": x, "adf": adf_grid(x)}
        rec["halfLife"] = half_life_record(x)
        if len(x) > 120:
            rec["hurst"] = hurst_record(x)
        out["series"][name] = rec

    # cointegrated pair: y1 random walk, y0 = 2 y1 + 5 + AR(1) noise
    n = 600
    y1 = np.cumsum(rng.standard_normal(n)) + 50.0
    u = np.zeros(n)
    eu = rng.standard_normal(n)
    for k in range(1, n):
        u[k] = 0.6 * u[k - 1] + eu[k]
    y0 = 2.0 * y1 + 5.0 + u
    out["coint"].append({"name": "cointegrated600", "y0": y0, "y1": y1, "results": [
        coint_record(y0, y1, "aic"),
        coint_record(y0, y1, "bic"),
        coint_record(y0, y1, "t-stat"),
        coint_record(y0, y1, None, 3),
        coint_record(y0, y1, "aic", trend="ct"),
        coint_record(y0, y1, "aic", trend="ctt"),
        coint_record(y0, y1, "aic", trend="n"),
    ]})
    # independent random walks
    z0 = np.cumsum(rng.standard_normal(400))
    z1 = np.cumsum(rng.standard_normal(400))
    out["coint"].append({"name": "independent400", "y0": z0, "y1": z1, "results": [coint_record(z0, z1, "aic"), coint_record(z0, z1, None, 2)]})
    write("adf_synthetic.json", out)


# ----------------------------------------------------------------------------------------------
def load_trades(path):
    rows = []
    with gzip.open(path, "rt") as f:
        for line in f:
            msg = json.loads(line)
            d = msg.get("data", {})
            if d.get("e") != "trade":
                continue
            if "X" in d and d["X"] != "MARKET":
                continue
            rows.append((d["s"], int(d["T"]), int(d["t"]), float(d["p"])))
    df = pd.DataFrame(rows, columns=["s", "T", "t", "p"]).sort_values(["s", "T", "t"], kind="mergesort")
    return df


def gen_real(path):
    name = os.path.basename(path).replace(".ndjson.gz", "")
    df = load_trades(path)
    per = {}
    bars = {}
    for sym in ["BTCUSDT", "ETHUSDT"]:
        g = df[df.s == sym]
        ser = pd.Series(g.p.values, index=pd.to_datetime(g["T"].values, unit="ms", utc=True))
        last = ser.resample("1s").last()
        raw = last.dropna()
        bars[sym] = {
            "startMs": (raw.index.view("int64") // 1_000_000).astype(np.int64),
            "close": raw.values,
        }
        per[sym] = last.ffill()
    joined = pd.concat([per["BTCUSDT"].rename("a"), per["ETHUSDT"].rename("b")], axis=1).ffill().dropna()
    start_ms = (joined.index.view("int64") // 1_000_000).astype(np.int64)
    a = joined["a"].values.astype(float)
    b = joined["b"].values.astype(float)
    A = pd.Series(a)
    B = pd.Series(b)

    ols = sm.OLS(a, sm.add_constant(b, prepend=False)).fit()
    beta = ols.params[0]
    spread = a - beta * b
    S = pd.Series(spread)
    z = (S - S.rolling(W).mean()) / S.rolling(W).std()

    rbeta, ralpha = rolling_ols_longdouble(a, b, W)
    rspread = a - rbeta * b
    RS = pd.Series(rspread)
    rz = (RS - RS.rolling(W).mean()) / RS.rolling(W).std()

    # log returns as log1p((p_t - p_{t-1}) / p_{t-1}), first value NaN
    ra = np.concatenate([[np.nan], np.log1p(np.diff(a) / a[:-1])])
    rb = np.concatenate([[np.nan], np.log1p(np.diff(b) / b[:-1])])
    RA = pd.Series(ra)
    RB = pd.Series(rb)
    corr = RA.rolling(W).corr(RB)
    bars_per_year = 365 * 86400
    vol_a = RA.rolling(W).std() * math.sqrt(bars_per_year)
    vol_b = RB.rolling(W).std() * math.sqrt(bars_per_year)

    out = {
        "name": name,
        "timeframeMs": 1000,
        "window": W,
        "barsPerYear": bars_per_year,
        "bars": bars,
        "aligned": {"startMs": start_ms, "a": a, "b": b},
        "ols": {"beta": beta, "alpha": ols.params[1], "r2": ols.rsquared, "seBeta": ols.bse[0], "n": len(a)},
        "spread": spread,
        "zscore": z.values,
        "rollingOls": {"beta": rbeta, "alpha": ralpha},
        "rollingSpreadZ": rz.values,
        "logReturns": {"a": ra, "b": rb},
        "corr": corr.values,
        "volA": vol_a.values,
        "volB": vol_b.values,
        "adfSpread": [adf_record(spread, reg, "AIC", None) for reg in REGRESSIONS]
        + [adf_record(spread, "c", "BIC", None), adf_record(spread, "c", "t-stat", None), adf_record(spread, "c", None, 4)],
        "coint": [coint_record(a, b, "aic"), coint_record(b, a, "aic"), coint_record(a, b, None, 2)],
        "halfLife": half_life_record(spread),
        "hurstSpread": hurst_record(spread),
        "hurstA": hurst_record(a),
        "kalman": [kalman_numpy(a, b, **KALMAN_DEFAULT), kalman_numpy(a, b, **KALMAN_CHAN)],
    }
    write(f"real_{name}.json", out)


def main():
    print(f"python {sys.version.split()[0]} numpy {np.__version__} scipy {scipy.__version__} "
          f"pandas {pd.__version__} statsmodels {statsmodels.__version__}")
    gen_mackinnon()
    gen_macro()
    gen_synthetic()
    for path in sorted(glob.glob(os.path.join(DATA, "*.ndjson.gz"))):
        gen_real(path)
    write(
        "versions.json",
        {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__, "pandas": pd.__version__, "statsmodels": statsmodels.__version__},
    )


if __name__ == "__main__":
    main()
