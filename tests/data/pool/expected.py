#!/usr/bin/env python3
"""expected.py - the expected numbers of tests/cli/t4150-pool-own-data.sh,
computed independently of lsr from the CSV files beside this script.

Python 3 standard library only.  The formulas are written from the
literature, not from lsr's sources:

  * effects: MD (unpooled variance); SMD as Hedges' g with the approximate
    J = 1 - 3/(4N - 9) and v = N/(n1 n2) + g^2/(2(N - 3.94)) (RevMan 5), or
    the exact J (Hedges 1981, through lgamma) with v = 1/n1 + 1/n2 +
    g^2/(2N) (metafor); log OR, log RR, RD with 0.5 added to the cells of a
    study with a zero cell (Cochrane Handbook 10.4.4.2);
  * inverse-variance fixed effect, Cochran's Q, I^2 and H^2 (Higgins &
    Thompson 2002);
  * Mantel-Haenszel: OR with the Robins-Breslow-Greenland variance (1986),
    RR with the Greenland-Robins variance (1985), RD with the Greenland-
    Robins (1985) or Sato-Greenland-Robins (1989) variance;
  * Peto's one-step odds ratio (Yusuf et al. 1985);
  * tau^2: DerSimonian-Laird (1986), REML by Fisher scoring (Viechtbauer
    2005), Paule-Mandel (1982) by bisection; the Q-profile interval
    (Viechtbauer 2007); metafor's I^2 = tau^2/(tau^2 + s^2);
  * Hartung-Knapp (2001) / Sidik-Jonkman (2002) t test, not truncated;
  * prediction intervals: mu +/- z sqrt(se^2 + tau^2) (t(k-1) and the HK
    SE with HK) and Higgins, Thompson & Spiegelhalter (2009) t(k-2);
  * RevMan 5 subgroup test (Q between subgroup summaries, Borenstein et al.
    2009 ch. 19) and the meta-regression on subgroup dummies with REML
    residual tau^2, QM, QE and R^2 (Raudenbush 2009);
  * Egger et al. (1997) regression test (standard normal deviate on
    precision) and its meta-regression form (y on SE);
  * Duval & Tweedie's (2000) trim-and-fill, estimator L0.

Each output line is one check:  FILE|OPTIONS|JQ PATH|VALUE|TOLERANCE
where TOLERANCE is the relative tolerance (1e-6 for closed forms, 1e-4 for
anything downstream of an iteration) and VALUE is printed with 17
significant digits, or "null".  Rerun it with

    python3 tests/data/pool/expected.py > tests/data/pool/expected.txt
"""
import csv
import math
import os
import statistics

HERE = os.path.dirname(os.path.abspath(__file__))
ND = statistics.NormalDist()
Z975 = ND.inv_cdf(0.975)
CLOSED, ITER = 1e-6, 1e-4

# ---- distributions -------------------------------------------------------


def p_norm2(z):
    """Two-sided normal p, from the upper tail directly."""
    return math.erfc(abs(z) / math.sqrt(2.0))


def gamma_p(a, x):
    """Regularised lower incomplete gamma P(a, x) (series/continued fraction)."""
    if x <= 0:
        return 0.0
    lg = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        s = term = 1.0 / a
        n = a
        for _ in range(10000):
            n += 1
            term *= x / n
            s += term
            if abs(term) < abs(s) * 1e-17:
                break
        return s * math.exp(lg)
    return 1.0 - gamma_q(a, x)


def gamma_q(a, x):
    """Regularised upper incomplete gamma Q(a, x), Lentz's continued fraction."""
    if x < a + 1:
        return 1.0 - gamma_p(a, x)
    lg = a * math.log(x) - x - math.lgamma(a)
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-17:
            break
    return math.exp(lg) * h


def p_chi2(x, df):
    """Upper tail of chi-square(df) at x."""
    return gamma_q(df / 2.0, x / 2.0)


def betacf(a, b, x):
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = tiny if abs(d) < tiny else d
    d = 1 / d
    h = d
    for m in range(1, 10000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-17:
            break
    return h


def betai(a, b, x):
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    bt = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                  + a * math.log(x) + b * math.log(1 - x))
    if x < (a + 1) / (a + b + 2):
        return bt * betacf(a, b, x) / a
    return 1 - bt * betacf(b, a, 1 - x) / b


def p_t2(t, df):
    """Two-sided p of Student's t with df degrees of freedom."""
    return betai(df / 2.0, 0.5, df / (df + t * t))


def bisect(f, lo, hi, iters=300):
    """Root of the monotone f on [lo, hi] (f(lo), f(hi) of opposite signs)."""
    flo = f(lo)
    for _ in range(iters):
        mid = (lo + hi) / 2
        fm = f(mid)
        if fm == 0 or hi - lo <= 1e-16 * max(1.0, abs(mid)):
            return mid
        if (fm < 0) == (flo < 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return (lo + hi) / 2


def q_t975(df):
    """The 0.975 quantile of t(df)."""
    return bisect(lambda t: p_t2(t, df) - 0.05, 0.0, 1000.0)


def q_chi2(p_lower, df):
    """The chi-square(df) quantile with lower-tail probability p_lower."""
    return bisect(lambda x: (1 - p_chi2(x, df)) - p_lower, 0.0, 1e4)


# ---- small linear algebra ------------------------------------------------


def inv(m):
    """Inverse of a small square matrix (Gauss-Jordan with pivoting)."""
    n = len(m)
    a = [row[:] + [1.0 if i == j else 0.0 for j in range(n)] for i, row in enumerate(m)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(a[r][c]))
        a[c], a[p] = a[p], a[c]
        piv = a[c][c]
        a[c] = [x / piv for x in a[c]]
        for r in range(n):
            if r != c:
                f = a[r][c]
                a[r] = [x - f * y for x, y in zip(a[r], a[c])]
    return [row[n:] for row in a]


def wls(X, y, w):
    """Weighted least squares: coefficients, (X'WX)^-1 and P = W - WX(X'WX)^-1X'W."""
    k, p = len(y), len(X[0])
    xtwx = [[sum(w[i] * X[i][a] * X[i][b] for i in range(k)) for b in range(p)] for a in range(p)]
    xtwy = [sum(w[i] * X[i][a] * y[i] for i in range(k)) for a in range(p)]
    vb = inv(xtwx)
    b = [sum(vb[a][c] * xtwy[c] for c in range(p)) for a in range(p)]
    P = [[(w[i] if i == j else 0.0)
          - w[i] * w[j] * sum(X[i][a] * vb[a][c] * X[j][c] for a in range(p) for c in range(p))
          for j in range(k)] for i in range(k)]
    return b, vb, P


def quad(P, y):
    return sum(y[i] * P[i][j] * y[j] for i in range(len(y)) for j in range(len(y)))


def trace(P):
    return sum(P[i][i] for i in range(len(P)))


def mat_mul(A, B):
    return [[sum(A[i][t] * B[t][j] for t in range(len(B))) for j in range(len(B[0]))]
            for i in range(len(A))]


# ---- effect sizes --------------------------------------------------------


def read(name):
    with open(os.path.join(HERE, name), newline="") as f:
        return list(csv.DictReader(f))


def md(r):
    m1, s1, n1 = float(r["mean1"]), float(r["sd1"]), float(r["n1"])
    m2, s2, n2 = float(r["mean2"]), float(r["sd2"]), float(r["n2"])
    return m1 - m2, s1 * s1 / n1 + s2 * s2 / n2


def smd(r, conv):
    m1, s1, n1 = float(r["mean1"]), float(r["sd1"]), float(r["n1"])
    m2, s2, n2 = float(r["mean2"]), float(r["sd2"]), float(r["n2"])
    N = n1 + n2
    sp = math.sqrt(((n1 - 1) * s1 * s1 + (n2 - 1) * s2 * s2) / (N - 2))
    d = (m1 - m2) / sp
    if conv == "revman5":
        J = 1 - 3 / (4 * N - 9)
        g = J * d
        return g, N / (n1 * n2) + g * g / (2 * (N - 3.94)), J
    m = N - 2
    J = math.exp(math.lgamma(m / 2) - 0.5 * math.log(m / 2) - math.lgamma((m - 1) / 2))
    g = J * d
    return g, 1 / n1 + 1 / n2 + g * g / (2 * N), J


def cells(r):
    a, n1 = float(r["events1"]), float(r["n1"])
    c, n2 = float(r["events2"]), float(r["n2"])
    return a, n1 - a, c, n2 - c


def corrected(r):
    """The cells with 0.5 added when one is zero, and whether it was added."""
    a, b, c, d = cells(r)
    if 0 in (a, b, c, d):
        return a + .5, b + .5, c + .5, d + .5, True
    return a, b, c, d, False


def binary(r, measure, conv):
    """(yi, vi) of a study, or None when it is not estimable."""
    a0, b0, c0, d0 = cells(r)
    a, b, c, d, _ = corrected(r)
    double0 = (a0 == 0 and c0 == 0) or (b0 == 0 and d0 == 0)
    n1, n2 = a + b, c + d
    if measure == "OR":
        if double0 and conv == "revman5":
            return None
        return math.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d
    if measure == "RR":
        if a0 == 0 and c0 == 0 and conv == "revman5":
            return None
        return math.log((a / n1) / (c / n2)), 1 / a - 1 / n1 + 1 / c - 1 / n2
    v = a * b / n1 ** 3 + c * d / n2 ** 3
    if conv == "revman5":  # the raw proportions, the corrected variance
        return a0 / (a0 + b0) - c0 / (c0 + d0), v
    return a / n1 - c / n2, v


def peto(r):
    a, b, c, d = cells(r)
    n1, n2 = a + b, c + d
    N = n1 + n2
    OmE = a - (a + c) * n1 / N
    V = (a + c) * (b + d) * n1 * n2 / (N * N * (N - 1))
    return OmE, V


# ---- pooling -------------------------------------------------------------


def fixed(y, v):
    w = [1 / x for x in v]
    sw = sum(w)
    mu = sum(wi * yi for wi, yi in zip(w, y)) / sw
    se = 1 / math.sqrt(sw)
    Q = sum(wi * (yi - mu) ** 2 for wi, yi in zip(w, y))
    df = len(y) - 1
    out = dict(estimate=mu, se=se, ci_lb=mu - Z975 * se, ci_ub=mu + Z975 * se,
               z=mu / se, p=p_norm2(mu / se), Q=Q, df=df)
    out.update(het(Q, df))
    return out


def het(Q, df):
    h = dict(p_Q=p_chi2(Q, df) if df > 0 else None)
    h["I2_from_Q"] = max(0.0, (Q - df) / Q) * 100 if df > 0 and Q > 0 else (0.0 if df > 0 else None)
    return h


def tau2_dl(y, v, Q=None):
    w = [1 / x for x in v]
    sw = sum(w)
    if Q is None:
        Q = fixed(y, v)["Q"]
    return max(0.0, (Q - (len(y) - 1)) / (sw - sum(x * x for x in w) / sw))


def q_gen(y, v, t):
    w = [1 / (x + t) for x in v]
    mu = sum(wi * yi for wi, yi in zip(w, y)) / sum(w)
    return sum(wi * (yi - mu) ** 2 for wi, yi in zip(w, y))


def tau2_reml(y, v, X=None):
    """REML by Fisher scoring from the Hedges estimate (truncated at 0)."""
    k = len(y)
    X = X or [[1.0] for _ in y]
    p = len(X[0])
    # Hedges (HE) starting value: OLS residuals
    _, _, P_ols = wls(X, y, [1.0] * k)
    t = max(0.0, (quad(P_ols, y) - sum(P_ols[i][i] * v[i] for i in range(k))) / (k - p))
    for _ in range(1000):
        _, _, P = wls(X, y, [1 / (x + t) for x in v])
        Py = [sum(P[i][j] * y[j] for j in range(k)) for i in range(k)]
        PP = mat_mul(P, P)
        step = (sum(x * x for x in Py) - trace(P)) / trace(PP)
        t_new = max(0.0, t + step)
        if abs(t_new - t) <= 1e-15 * max(1.0, t):
            return t_new
        t = t_new
    raise RuntimeError("REML did not converge")


def tau2_pm(y, v):
    k = len(y)
    if q_gen(y, v, 0.0) <= k - 1:
        return 0.0
    return bisect(lambda t: q_gen(y, v, t) - (k - 1), 0.0, 1e6)


def tau2_of(method, y, v):
    return {"DL": tau2_dl, "REML": tau2_reml, "PM": tau2_pm}[method](y, v)


def random(y, v, tau2, hk=False, Q=None):
    """Random-effects summary with tau2 given; Q from the fixed-effect fit."""
    k = len(y)
    w = [1 / (x + tau2) for x in v]
    sw = sum(w)
    mu = sum(wi * yi for wi, yi in zip(w, y)) / sw
    se = 1 / math.sqrt(sw)
    w0 = [1 / x for x in v]
    s2 = (k - 1) * sum(w0) / (sum(w0) ** 2 - sum(x * x for x in w0))
    fe = fixed(y, v)
    Q = fe["Q"] if Q is None else Q
    out = dict(tau2=tau2, tau=math.sqrt(tau2), Q=Q, df=k - 1,
               I2=100 * tau2 / (tau2 + s2), H2=(tau2 + s2) / s2)
    out.update(het(Q, k - 1))
    if hk:
        se = math.sqrt(sum(wi * (yi - mu) ** 2 for wi, yi in zip(w, y)) / ((k - 1) * sw))
        crit = q_t975(k - 1)
        out.update(t=mu / se, df_t=k - 1, p=p_t2(mu / se, k - 1), crit=crit)
        half = crit * math.sqrt(se * se + tau2)
    else:
        crit = Z975
        out.update(z=mu / se, p=p_norm2(mu / se), crit=crit)
        half = Z975 * math.sqrt(se * se + tau2)
        if k >= 3:
            ht = q_t975(k - 2) * math.sqrt(se * se + tau2)
            out.update(pi_t_km2_lb=mu - ht, pi_t_km2_ub=mu + ht)
    out.update(estimate=mu, se=se, ci_lb=mu - crit * se, ci_ub=mu + crit * se,
               pi_lb=mu - half, pi_ub=mu + half)
    if k >= 3:
        lo_t, hi_t = q_chi2(0.975, k - 1), q_chi2(0.025, k - 1)
        f = lambda target: (0.0 if q_gen(y, v, 0.0) < target
                            else bisect(lambda t: q_gen(y, v, t) - target, 0.0, 1e6))
        ci = [f(lo_t), f(hi_t)]
        out["tau2_ci_qprofile"] = ci
        out["I2_ci_qprofile"] = [100 * t / (t + s2) for t in ci]
    return out


def mh(rows, measure, conv, rdvar):
    """Mantel-Haenszel pooled estimate (log scale for OR and RR) and its SE."""
    R = S = 0.0
    sPR = sPSQR = sQS = 0.0
    sP = 0.0
    sW = sWRD = sGR = 0.0
    sgr1 = sgr2 = 0.0
    for r in rows:
        a0, b0, c0, d0 = cells(r)
        if conv == "revman5":
            if measure in ("OR", "RR") and (a0 == 0 and c0 == 0 or
                                            measure == "OR" and b0 == 0 and d0 == 0):
                continue
            a, b, c, d, _ = corrected(r)
        else:
            a, b, c, d = a0, b0, c0, d0
        n1, n2 = a + b, c + d
        N = n1 + n2
        if measure == "OR":
            Ri, Si = a * d / N, b * c / N
            Pi, Qi = (a + d) / N, (b + c) / N
            R += Ri
            S += Si
            sPR += Pi * Ri
            sPSQR += Pi * Si + Qi * Ri
            sQS += Qi * Si
        elif measure == "RR":
            R += a * n2 / N
            S += c * n1 / N
            sP += (n1 * n2 * (a + c) - a * c * N) / N ** 2
        else:
            W = n1 * n2 / N
            sW += W
            sWRD += W * (a0 / (a0 + b0) - c0 / (c0 + d0) if conv == "revman5" else a / n1 - c / n2)
            sGR += (a * b * n2 ** 3 + c * d * n1 ** 3) / (n1 * n2 * N ** 2)
            sgr1 += c * (n1 / N) ** 2 - a * (n2 / N) ** 2 + (n1 / N) * (n2 / N) * (n2 - n1) / 2
            sgr2 += a * (n2 - c) / N + c * (n1 - a) / N
    if measure == "OR":
        est = math.log(R / S)
        var = sPR / (2 * R * R) + sPSQR / (2 * R * S) + sQS / (2 * S * S)
    elif measure == "RR":
        est = math.log(R / S)
        var = sP / (R * S)
    else:
        est = sWRD / sW
        if rdvar == "GR":
            var = sGR / sW ** 2
        else:
            var = (est * sgr1 + sgr2 / 2) / sW ** 2
    return est, math.sqrt(var)


def cmh(rows):
    """Cochran-Mantel-Haenszel chi-square with continuity correction."""
    sa = sE = sV = 0.0
    for r in rows:
        a, b, c, d = cells(r)
        n1, n2, m1, m0 = a + b, c + d, a + c, b + d
        N = n1 + n2
        sa += a
        sE += n1 * m1 / N
        sV += n1 * n2 * m1 * m0 / (N * N * (N - 1))
    x = (abs(sa - sE) - 0.5) ** 2 / sV
    return dict(CMH=x, p=p_chi2(x, 1))


def tarone(rows):
    """Breslow-Day statistic with Tarone's correction at the MH odds ratio
    (raw cells), over the studies with both column margins positive."""
    psi = math.exp(mh(rows, "OR", "metafor", None)[0])
    BD = sa = sA = sV = 0.0
    kpos = 0
    for r in rows:
        a, b, c, d = cells(r)
        n1, n2, m1 = a + b, c + d, a + c
        if m1 == 0 or b + d == 0:
            continue
        kpos += 1
        lo, hi = max(0.0, m1 - n2), min(n1, m1)
        # the expected a under the common odds ratio: a root of
        # (1 - psi) A^2 + (n2 - m1 + psi (n1 + m1)) A - psi n1 m1 = 0
        A = bisect(lambda A: A * (n2 - m1 + A) - psi * (n1 - A) * (m1 - A), lo, hi)
        V = 1 / (1 / A + 1 / (n1 - A) + 1 / (m1 - A) + 1 / (n2 - m1 + A))
        BD += (a - A) ** 2 / V
        sa += a
        sA += A
        sV += V
    TA = BD - (sa - sA) ** 2 / sV
    return dict(TA=TA, p=p_chi2(TA, kpos - 1), k_pos=kpos)


def summary_z(est, se):
    return dict(estimate=est, se=se, ci_lb=est - Z975 * se, ci_ub=est + Z975 * se,
                z=est / se, p=p_norm2(est / se))


# ---- output --------------------------------------------------------------

LINES = []


def emit(file, opts, path, value, tol):
    if value is None:
        LINES.append(f"{file}|{opts}|{path}|null|0")
    else:
        LINES.append(f"{file}|{opts}|{path}|{value:.17g}|{tol:g}")


def emit_dict(file, opts, prefix, d, keys, tol):
    for k in keys:
        v = d[k]
        if isinstance(v, list):
            for i, x in enumerate(v):
                emit(file, opts, f"{prefix}.{k}[{i}]", x, tol)
        else:
            emit(file, opts, f"{prefix}.{k}", v, tol)


POOLED_Z = ["estimate", "se", "ci_lb", "ci_ub", "z", "p"]
POOLED_RE = POOLED_Z + ["pi_lb", "pi_ub", "pi_t_km2_lb", "pi_t_km2_ub"]
POOLED_HK = ["estimate", "se", "ci_lb", "ci_ub", "t", "df_t", "crit", "p", "pi_lb", "pi_ub"]
HET_FE = ["Q", "df", "p_Q", "I2_from_Q"]
HET_RE = ["Q", "df", "p_Q", "I2", "H2", "tau2", "tau", "I2_from_Q"]


def emit_fixed(file, opts, fe, tol=CLOSED):
    emit_dict(file, opts, ".pooled", fe, POOLED_Z, tol)
    emit_dict(file, opts, ".heterogeneity", fe, HET_FE, tol)
    if fe["df"] > 0:
        emit(file, opts, ".heterogeneity.I2", fe["I2_from_Q"], tol)
        emit(file, opts, ".heterogeneity.H2", fe["Q"] / fe["df"], tol)


def emit_random(file, opts, re, tol, hk=False, qprofile=True):
    emit_dict(file, opts, ".pooled", re, POOLED_HK if hk else POOLED_RE, tol)
    emit_dict(file, opts, ".heterogeneity", re, HET_RE, tol)
    if qprofile:
        # the Q-profile bounds come from a root search: iterative tolerance
        emit_dict(file, opts, ".heterogeneity", re, ["tau2_ci_qprofile", "I2_ci_qprofile"], ITER)


def emit_studies(file, opts, ys, tol=CLOSED):
    for i, yv in enumerate(ys):
        if yv is None:
            emit(file, opts, f".studies[{i}].yi", None, 0)
            continue
        emit(file, opts, f".studies[{i}].yi", yv[0], tol)
        emit(file, opts, f".studies[{i}].vi", yv[1], tol)


# ---- the checks ----------------------------------------------------------


def subgroup_labels(rows):
    """Subgroups in order of first appearance."""
    labels = []
    for r in rows:
        if r["subgroup"] not in labels:
            labels.append(r["subgroup"])
    return labels


def q_between(ests, ses):
    """RevMan's test for subgroup differences: Q, the pooled value, weights."""
    W = [1 / s ** 2 for s in ses]
    bar = sum(wj * t for wj, t in zip(W, ests)) / sum(W)
    return sum(wj * (t - bar) ** 2 for wj, t in zip(W, ests)), bar, W


def continuous():
    f = "cont.csv"
    rows = read(f)
    eff = [md(r) for r in rows]
    y, v = [e[0] for e in eff], [e[1] for e in eff]

    o = "--measure MD --model fixed"
    emit_studies(f, o, eff)
    fe = fixed(y, v)
    emit_fixed(f, o, fe)
    w = [1 / x for x in v]
    for i in range(len(y)):
        emit(f, o, f".studies[{i}].weight_pct", 100 * w[i] / sum(w), CLOSED)

    for method in ("DL", "REML", "PM"):
        tol = CLOSED if method == "DL" else ITER
        t2 = tau2_of(method, y, v)
        o = f"--measure MD --tau2 {method} --no-hk"
        emit_random(f, o, random(y, v, t2), tol)
        o = f"--measure MD --tau2 {method} --hk"
        emit_random(f, o, random(y, v, t2, hk=True), tol, hk=True, qprofile=False)
    # --model auto: random effects because the heterogeneity test gives
    # P < 0.05 on these data (the rule, not a recommendation)
    o = "--measure MD --model auto --tau2 DL --no-hk"
    assert fe["p_Q"] < 0.05
    emit(f, o, ".model_chosen_by.p_Q", fe["p_Q"], CLOSED)
    LINES.append(f'{f}|{o}|.model|"random"|0')
    emit_random(f, o, random(y, v, tau2_dl(y, v)), CLOSED, qprofile=False)
    wr = [1 / (x + tau2_dl(y, v)) for x in v]
    o = "--measure MD --tau2 DL --no-hk"
    for i in range(len(y)):
        emit(f, o, f".studies[{i}].weight", wr[i], CLOSED)
        emit(f, o, f".studies[{i}].weight_pct", 100 * wr[i] / sum(wr), CLOSED)

    # SMD, both conventions, fixed and DL
    for conv in ("revman5", "metafor"):
        e = [smd(r, conv) for r in rows]
        ys, vs = [x[0] for x in e], [x[1] for x in e]
        o = f"--measure SMD --convention {conv} --model fixed"
        emit_studies(f, o, [(x[0], x[1]) for x in e])
        for i, x in enumerate(e):
            emit(f, o, f".studies[{i}].J", x[2], CLOSED)
        emit_fixed(f, o, fixed(ys, vs))
        o = f"--measure SMD --convention {conv} --tau2 DL --no-hk"
        emit_random(f, o, random(ys, vs, tau2_dl(ys, vs)), CLOSED)
        o = f"--measure SMD --convention {conv} --tau2 REML --hk"
        emit_random(f, o, random(ys, vs, tau2_reml(ys, vs), hk=True), ITER, hk=True,
                    qprofile=False)

    # subgroups, the RevMan way: each subgroup its own DL tau2; fixed too
    labels = subgroup_labels(rows)
    for model in ("fixed", "random"):
        o = f"--measure MD --subgroup --model {model} --tau2 DL --no-hk"
        ests, ses = [], []
        for j, lab in enumerate(labels):
            yy = [y[i] for i, r in enumerate(rows) if r["subgroup"] == lab]
            vv = [v[i] for i, r in enumerate(rows) if r["subgroup"] == lab]
            s = fixed(yy, vv) if model == "fixed" else random(yy, vv, tau2_dl(yy, vv))
            ests.append(s["estimate"])
            ses.append(s["se"])
            emit(f, o, f".subgroups[{j}].k", len(yy), CLOSED)
            emit_dict(f, o, f".subgroups[{j}]", s, POOLED_Z + ["Q", "df", "p_Q", "I2_from_Q"],
                      CLOSED)
            if model == "random":
                emit(f, o, f".subgroups[{j}].tau2", s["tau2"], CLOSED)
        Qb, bar, W = q_between(ests, ses)
        st = dict(Q_between=Qb, df=len(labels) - 1, p=p_chi2(Qb, len(labels) - 1),
                  pooled_of_subgroups=bar, pooled_of_subgroups_se=1 / math.sqrt(sum(W)))
        emit_dict(f, o, ".subgroup_test", st, list(st), CLOSED)
        if model == "fixed":
            sumq = sum(fixed([y[i] for i, r in enumerate(rows) if r["subgroup"] == lab],
                             [v[i] for i, r in enumerate(rows) if r["subgroup"] == lab])["Q"]
                       for lab in labels)
            emit(f, o, ".subgroup_test.Q_total_minus_sum_Q_within", fe["Q"] - sumq, CLOSED)
            emit(f, o, ".subgroup_test.Q_between", fe["Q"] - sumq, CLOSED)
            ov = fe
        else:
            ov = random(y, v, tau2_dl(y, v))
        emit_dict(f, o, ".overall", ov, POOLED_Z + ["Q", "df", "p_Q"], CLOSED)

    # meta-regression on the subgroup (dummy coding, REML residual tau2)
    o = "--measure MD --moderator --tau2 REML"
    X = [[1.0] + [1.0 if r["subgroup"] == lab else 0.0 for lab in labels[1:]] for r in rows]
    k, p = len(y), len(X[0])
    t2 = tau2_reml(y, v, X)
    b, vb, _ = wls(X, y, [1 / (x + t2) for x in v])
    # QM: Wald test of the dummies
    idx = list(range(1, p))
    sub = inv([[vb[a][c] for c in idx] for a in idx])
    QM = sum(b[a] * sub[i][j] * b[c] for i, a in enumerate(idx) for j, c in enumerate(idx))
    _, _, P0 = wls(X, y, [1 / x for x in v])
    QE = quad(P0, y)
    s2 = (k - p) / trace(P0)
    t2_re = tau2_reml(y, v)
    mod = dict(QM=QM, QM_df=p - 1, QM_p=p_chi2(QM, p - 1), QE_residual=QE, QE_df=k - p,
               QE_p=p_chi2(QE, k - p), tau2_residual=t2, I2_residual=100 * t2 / (t2 + s2),
               R2=max(0.0, 100 * (t2_re - t2) / t2_re))
    emit_dict(f, o, "", mod, ["QM", "QM_df", "QM_p", "QE_residual", "QE_df", "QE_p"], ITER)
    emit_dict(f, o, "", mod, ["tau2_residual", "I2_residual", "R2"], ITER)
    for j in range(len(labels)):
        xr = [1.0] + [1.0 if j == jj + 1 else 0.0 for jj in range(len(labels) - 1)]
        est = sum(a * c for a, c in zip(xr, b))
        se = math.sqrt(sum(xr[a] * vb[a][c] * xr[c] for a in range(p) for c in range(p)))
        emit_dict(f, o, f".subgroups[{j}]", summary_z(est, se), POOLED_Z, ITER)

    # leave-one-out, DL
    o = "--measure MD --tau2 DL --no-hk --leave-one-out"
    for i in range(k):
        yy, vv = y[:i] + y[i + 1:], v[:i] + v[i + 1:]
        s = random(yy, vv, tau2_dl(yy, vv))
        emit_dict(f, o, f".leave_one_out.DL.rows[{i}]", s,
                  POOLED_Z + ["Q", "p_Q", "tau2", "I2", "H2"], CLOSED)


def se_regression(y, v, model):
    """Meta-regression of y on its SE: coefficients, their covariance and
    the residual tau2 (none for FE; the DL-type moment estimator
    (Q_E - (k - 2))/tr(P) for DL)."""
    X = [[1.0, math.sqrt(x)] for x in v]
    t2 = 0.0
    if model != "FE":
        _, _, P0 = wls(X, y, [1 / x for x in v])
        t2 = max(0.0, (quad(P0, y) - (len(y) - 2)) / trace(P0))
    b, vb, _ = wls(X, y, [1 / (x + t2) for x in v])
    return b, vb, t2


def egger(f, o, y, v, model):
    k = len(y)
    sei = [math.sqrt(x) for x in v]
    # classic: OLS of y/se on 1/se (the standard normal deviate regression)
    X = [[1.0, 1 / s] for s in sei]
    z = [yi / s for yi, s in zip(y, sei)]
    b, vb, P = wls(X, z, [1.0] * k)
    s2 = quad(P, z) / (k - 2)
    bse = math.sqrt(s2 * vb[0][0])
    sse = math.sqrt(s2 * vb[1][1])
    tq = q_t975(k - 2)
    cl = dict(k=k, bias=b[0], bias_se=bse, t=b[0] / bse, df=k - 2,
              p=p_t2(b[0] / bse, k - 2), limit_estimate=b[1],
              limit_ci_lb=b[1] - tq * sse, limit_ci_ub=b[1] + tq * sse)
    emit_dict(f, o, ".egger.classic_lm", cl, list(cl), CLOSED)
    emit(f, o, ".egger.classic_lm.snd_regression.slope_se", sse, CLOSED)
    # model-based: meta-regression of y on se
    b, vb, t2 = se_regression(y, v, model)
    se0, se1 = math.sqrt(vb[0][0]), math.sqrt(vb[1][1])
    rm = dict(k=k, bias=b[1], bias_se=se1, z=b[1] / se1, p=p_norm2(b[1] / se1),
              limit_estimate=b[0], limit_ci_lb=b[0] - Z975 * se0,
              limit_ci_ub=b[0] + Z975 * se0, tau2_residual=t2)
    emit_dict(f, o, f".egger.rma_{model}", rm, list(rm), CLOSED)


def trimfill(f, o, y, v, model):
    """Duval & Tweedie's L0 as metafor's trimfill() applies it."""
    k = len(y)
    fit = (lambda yy, vv: fixed(yy, vv)) if model == "FE" else \
        (lambda yy, vv: random(yy, vv, tau2_dl(yy, vv)))
    # side: the sign of the SE coefficient of the model's meta-regression
    b = se_regression(y, v, model)[0]
    side = "right" if b[1] < 0 else "left"
    sgn = -1.0 if side == "right" else 1.0
    order = sorted(range(k), key=lambda i: sgn * y[i])
    ys = [sgn * y[i] for i in order]
    vs = [v[i] for i in order]
    k0, L0 = 0, 0.0
    for _ in range(100):
        mu = fit(ys[:k - k0], vs[:k - k0])["estimate"]
        c = [x - mu for x in ys]
        ranks = sorted(range(k), key=lambda i: abs(c[i]))  # stable: ties in order
        rank = [0] * k
        for r, i in enumerate(ranks):
            rank[i] = r + 1
        S = sum(rank[i] for i in range(k) if c[i] > 0)
        L0 = (4 * S - k * (k + 1)) / (2 * k - 1)
        new = max(0, round(L0))  # Python's round is half to even, as R's
        if new == k0:
            break
        k0 = new
    # Var S at the last iteration's L0 before rounding, as metafor's
    # trimfill() evaluates it (Duval & Tweedie write it at the estimate k0)
    varS = (k * (k + 1) * (2 * k + 1) + 10 * L0 ** 3 + 27 * L0 ** 2 + 17 * L0
            - 18 * k * L0 ** 2 - 18 * k * L0 + 6 * k * k * L0) / 24
    se_k0 = 4 * math.sqrt(varS) / (2 * k - 1)
    mu_trim = fit(ys[:k - k0], vs[:k - k0])["estimate"]
    fy = [sgn * (2 * mu_trim - x) for x in ys[k - k0:]]
    fv = vs[k - k0:]
    full = fit(y + fy, v + fv)
    key = "FE" if model == "FE" else "DL"
    p = f".trimfill.{key}"
    LINES.append(f"{f}|{o}|{p}.side|\"{side}\"|0")
    emit(f, o, f"{p}.k0", k0, CLOSED)
    emit(f, o, f"{p}.se_k0", se_k0, CLOSED)
    emit(f, o, f"{p}.k_filled_total", k + k0, CLOSED)
    for i, (yy, vv) in enumerate(zip(fy, fv)):
        emit(f, o, f"{p}.filled_studies[{i}].yi", yy, CLOSED)
        emit(f, o, f"{p}.filled_studies[{i}].vi", vv, CLOSED)
    emit_dict(f, o, f"{p}.pooled", full, POOLED_Z, CLOSED)
    emit_dict(f, o, f"{p}.heterogeneity", full, ["Q", "df", "p_Q"], CLOSED)
    if model != "FE":
        emit(f, o, f"{p}.heterogeneity.tau2", full["tau2"], CLOSED)


def generic():
    f = "giv.csv"
    rows = read(f)
    y = [float(r["yi"]) for r in rows]
    v = [float(r["sei"]) ** 2 for r in rows]
    o = "--measure GIV --model fixed --egger --trimfill"
    fe = fixed(y, v)
    emit_fixed(f, o, fe)
    emit(f, o, ".pooled.exp_estimate", math.exp(fe["estimate"]), CLOSED)
    egger(f, o, y, v, "FE")
    trimfill(f, o, y, v, "FE")
    o = "--measure GIV --tau2 DL --no-hk --egger --trimfill"
    emit_random(f, o, random(y, v, tau2_dl(y, v)), CLOSED)
    egger(f, o, y, v, "DL")
    trimfill(f, o, y, v, "DL")
    o = "--measure GIV --scale identity --tau2 PM --hk"
    emit_random(f, o, random(y, v, tau2_pm(y, v), hk=True), ITER, hk=True, qprofile=False)
    o = "--measure GIV --model fixed --leave-one-out"
    for i in range(len(y)):
        s = fixed(y[:i] + y[i + 1:], v[:i] + v[i + 1:])
        emit_dict(f, o, f".leave_one_out.FE.rows[{i}]", s, POOLED_Z + ["Q", "p_Q"], CLOSED)


def binaries():
    for f in ("bin.csv", "zero.csv"):
        rows = read(f)
        for measure in ("OR", "RR", "RD"):
            for conv in ("revman5", "metafor"):
                eff = [binary(r, measure, conv) for r in rows]
                inc = [e for e in eff if e is not None]
                y, v = [e[0] for e in inc], [e[1] for e in inc]
                # inverse variance, fixed and DL
                o = f"--measure {measure} --method IV --convention {conv} --model fixed"
                emit_studies(f, o, eff)
                emit_fixed(f, o, fixed(y, v))
                o = f"--measure {measure} --method IV --convention {conv} --tau2 DL --no-hk"
                emit_random(f, o, random(y, v, tau2_dl(y, v)), CLOSED)
                # Mantel-Haenszel, fixed: Q from the IV weights around the MH
                # estimate (metafor leaves double-zero studies out of it)
                rdvar = "GR" if conv == "revman5" else "SGR"
                o = f"--measure {measure} --method MH --convention {conv} --model fixed"
                est, se = mh(rows, measure, conv, rdvar)
                s = summary_z(est, se)
                if conv == "metafor":
                    keep = [e for e, r in zip(eff, rows)
                            if e is not None and not (cells(r)[0] == 0 and cells(r)[2] == 0)]
                else:
                    keep = inc
                Q = sum((e[0] - est) ** 2 / e[1] for e in keep)
                s.update(Q=Q, df=len(keep) - 1)
                s.update(het(Q, len(keep) - 1))
                emit_dict(f, o, ".pooled", s, POOLED_Z, CLOSED)
                emit_dict(f, o, ".heterogeneity", s, HET_FE, CLOSED)
                # RevMan's M-H random: DL with Q from the MH fit, IV pooling
                if conv == "revman5":
                    o = f"--measure {measure} --method MH --convention revman5 --model random --tau2 DL --no-hk"
                    t2 = tau2_dl(y, v, Q)
                    re = random(y, v, t2, Q=Q)
                    emit_dict(f, o, ".pooled", re, POOLED_Z, CLOSED)
                    emit_dict(f, o, ".heterogeneity", re, ["Q", "df", "tau2", "I2_from_Q"], CLOSED)
        # metafor's rma.mh(measure="OR") adds the Cochran-Mantel-Haenszel
        # test (continuity corrected) and Tarone's test for homogeneity
        o = "--measure OR --method MH --convention metafor --model fixed"
        emit_dict(f, o, ".cmh_test", cmh(rows), ["CMH", "p"], CLOSED)
        emit_dict(f, o, ".tarone_test", tarone(rows), ["TA", "p", "k_pos"], ITER)
        # Peto
        o = "--measure OR --method Peto --model fixed"
        pe = [peto(r) for r in rows]
        pe = [x for x in pe if x[1] > 0]
        sO, sV = sum(x[0] for x in pe), sum(x[1] for x in pe)
        s = summary_z(sO / sV, 1 / math.sqrt(sV))
        Q = sum(x[0] ** 2 / x[1] for x in pe) - sO ** 2 / sV
        s.update(Q=Q, df=len(pe) - 1)
        s.update(het(Q, len(pe) - 1))
        emit_dict(f, o, ".pooled", s, POOLED_Z, CLOSED)
        emit_dict(f, o, ".heterogeneity", s, HET_FE, CLOSED)
        for i, r in enumerate(rows):
            OmE, V = peto(r)
            emit(f, o, f".studies[{i}].O_minus_E", OmE, CLOSED)
            emit(f, o, f".studies[{i}].V", V, CLOSED)

    # subgroups on binary data: MH fixed, RevMan conventions
    f = "bin.csv"
    rows = read(f)
    o = "--measure RR --method MH --subgroup --model fixed"
    labels = subgroup_labels(rows)
    ests, ses = [], []
    for j, lab in enumerate(labels):
        est, se = mh([r for r in rows if r["subgroup"] == lab], "RR", "revman5", "GR")
        ests.append(est)
        ses.append(se)
        emit_dict(f, o, f".subgroups[{j}]", summary_z(est, se), POOLED_Z, CLOSED)
    Qb = q_between(ests, ses)[0]
    emit(f, o, ".subgroup_test.Q_between", Qb, CLOSED)
    emit(f, o, ".subgroup_test.p", p_chi2(Qb, len(labels) - 1), CLOSED)


def main():
    continuous()
    generic()
    binaries()
    print("# generated by tests/data/pool/expected.py; do not edit")
    print("# file|options|jq path|expected|relative tolerance")
    for line in LINES:
        print(line)


if __name__ == "__main__":
    main()
