#!/usr/bin/python3
"""
Reference for `pairdesk analyze`: the same analysis with pandas + statsmodels, used by
bench/analyze.ts for timing and for cross-checking the TypeScript output.

    /usr/bin/python3 scripts/analyze_reference.py FILE... --pair BTCUSDT/ETHUSDT --timeframe 1s \
        [--window 60] [--lookback N] [--out analytics.csv] [--json summary.json]

Pipeline (static OLS hedge only): read Binance NDJSON (raw or combined envelope, trade or
aggTrade, gzip detected by magic bytes) with json.loads per line; keep MARKET trades of the two
symbols (drop duplicate trade ids); per symbol the last price by (T, id) per interval:
resample(tf).last().ffill(); join, ffill, dropna; optional tail(lookback); OLS of A on B with a
constant; spread = A - beta*B; rolling z-score and rolling correlation of log returns over W;
adfuller(spread, regression='c', autolag='AIC'); coint(A, B, trend='c', autolag='aic');
half-life, Hurst (variance of lagged differences) of the spread; Kalman (Chan, delta 1e-7,
Ve 10) final state. Writes the same CSV and JSON as the TypeScript command. Stage timings go
to stderr as one JSON line.
"""
import argparse
import gzip
import json
import math
import sys
import time
import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tsa.stattools import adfuller, coint

TIMEFRAMES = {"1s": "1s", "1m": "1min", "5m": "5min"}


def open_text(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    return gzip.open(path, "rt") if magic == b"\x1f\x8b" else open(path, "rt")


def read_trades(paths, symbols):
    sym, ts, tid, px = [], [], [], []
    loads = json.loads
    for path in paths:
        with open_text(path) as f:
            for line in f:
                try:
                    msg = loads(line)
                except ValueError:
                    continue
                if not isinstance(msg, dict):
                    continue
                d = msg.get("data", msg)
                if not isinstance(d, dict):
                    continue
                e = d.get("e")
                if e == "aggTrade":
                    i = d.get("a")
                elif e == "trade":
                    if d.get("X", "MARKET") != "MARKET":
                        continue
                    i = d.get("t")
                else:
                    continue
                s = d.get("s")
                if s not in symbols:
                    continue
                try:
                    p = float(d["p"])
                    t = int(d["T"])
                except (KeyError, TypeError, ValueError):
                    continue
                if not p > 0:
                    continue
                sym.append(s)
                ts.append(t)
                tid.append(i)
                px.append(p)
    df = pd.DataFrame({"s": sym, "T": ts, "id": tid, "p": px})
    df = df.drop_duplicates(["s", "id"])
    return df.sort_values(["s", "T", "id"], kind="mergesort")


def clean(v):
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return f if math.isfinite(f) else None
    return v


def half_life(s):
    ds = np.diff(s)
    res = sm.OLS(ds, sm.add_constant(s[:-1])).fit()
    lam = res.params[1]
    return -math.log(2) / lam if lam < 0 else None


def hurst(x, max_lags=100):
    lags = range(2, max_lags)
    tau = [np.sqrt(np.std(np.subtract(x[lag:], x[:-lag]))) for lag in lags]
    return np.polyfit(np.log(lags), np.log(tau), 1)[0] * 2.0


def kalman_final(y, x, delta=1e-7, ve=10.0):
    """Chan (2013) filter, theta0 = 0, P0 = 0, scalar arithmetic (same order as kalman.ts)."""
    vw = delta / (1 - delta)
    b = a = 0.0
    p00 = p01 = p10 = p11 = 0.0
    for yt, xt in zip(y.tolist(), x.tolist()):
        r00, r01, r10, r11 = p00 + vw, p01, p10, p11 + vw
        e = yt - (xt * b + a)
        fr0 = xt * r00 + r10
        fr1 = xt * r01 + r11
        q = fr0 * xt + fr1 + ve
        k0 = (r00 * xt + r01) / q
        k1 = (r10 * xt + r11) / q
        b += k0 * e
        a += k1 * e
        p00, p01, p10, p11 = r00 - k0 * fr0, r01 - k0 * fr1, r10 - k1 * fr0, r11 - k1 * fr1
    return b, a


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--pair", required=True)
    ap.add_argument("--timeframe", default="1s", choices=sorted(TIMEFRAMES))
    ap.add_argument("--window", type=int, default=60)
    ap.add_argument("--lookback", type=int)
    ap.add_argument("--out")
    ap.add_argument("--json")
    args = ap.parse_args()
    A, B = [s.strip().upper() for s in args.pair.split("/")]
    W = args.window
    tf = TIMEFRAMES[args.timeframe]
    timings = {}
    t0 = time.perf_counter()

    df = read_trades(args.files, {A, B})
    t1 = time.perf_counter()
    timings["read_ms"] = (t1 - t0) * 1000

    per = {}
    for s in (A, B):
        g = df[df.s == s]
        ser = pd.Series(g.p.values, index=pd.to_datetime(g["T"].values, unit="ms", utc=True))
        per[s] = ser.resample(tf).last().ffill()
    joined = pd.concat([per[A].rename("a"), per[B].rename("b")], axis=1).ffill().dropna()
    if args.lookback is not None:
        joined = joined.tail(args.lookback)
    a = joined["a"].values.astype(float)
    b = joined["b"].values.astype(float)
    t2 = time.perf_counter()
    timings["resample_ms"] = (t2 - t1) * 1000

    ols = sm.OLS(a, sm.add_constant(b, prepend=False)).fit()
    beta, alpha = ols.params[0], ols.params[1]
    spread = a - beta * b
    S = pd.Series(spread)
    z = (S - S.rolling(W).mean()) / S.rolling(W).std()
    ra = pd.Series(np.concatenate([[np.nan], np.log1p(np.diff(a) / a[:-1])]))
    rb = pd.Series(np.concatenate([[np.nan], np.log1p(np.diff(b) / b[:-1])]))
    corr = ra.rolling(W).corr(rb)
    adf = adfuller(spread, regression="c", autolag="AIC")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        eg = coint(a, b, trend="c", autolag="aic")
    hl = half_life(spread)
    hu = hurst(spread)
    kb, ka = kalman_final(a, b)
    t3 = time.perf_counter()
    timings["stats_ms"] = (t3 - t2) * 1000

    if args.out:
        start_ms = joined.index.view("int64") // 1_000_000
        out = pd.DataFrame(
            {
                "time": joined.index.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "start_ms": start_ms,
                "close_a": a,
                "close_b": b,
                "hedge_ratio": beta,
                "spread": spread,
                "zscore": z.values,
                "correlation": corr.values,
            }
        )
        out.to_csv(args.out, index=False, lineterminator="\n")
    summary = {
        "pair": f"{A}/{B}",
        "timeframe": args.timeframe,
        "hedge": "static",
        "window": W,
        "bars": len(a),
        "ols": {"beta": beta, "alpha": alpha, "r2": ols.rsquared, "se_beta": ols.bse[0]},
        "adf": {
            "stat": adf[0],
            "pvalue": adf[1],
            "usedlag": adf[2],
            "nobs": adf[3],
            "crit": {k: adf[4][k] for k in ("1%", "5%", "10%")},
        },
        "eg": {"stat": eg[0], "pvalue": eg[1], "crit": {"1%": eg[2][0], "5%": eg[2][1], "10%": eg[2][2]}},
        "half_life_bars": hl,
        "hurst": hu,
        "kalman": {"beta": kb, "alpha": ka},
    }
    if args.json:
        with open(args.json, "w") as f:
            json.dump(clean(summary), f, indent=2, allow_nan=False)
            f.write("\n")
    t4 = time.perf_counter()
    timings["write_ms"] = (t4 - t3) * 1000
    timings["total_ms"] = (t4 - t0) * 1000
    timings["trades"] = len(df)
    print(json.dumps(timings), file=sys.stderr)


if __name__ == "__main__":
    main()
