//! Interval estimates for audit error rates: the share of notes with an
//! error, and the share missing each element, with two-sided confidence
//! intervals. Clopper-Pearson (exact) is the default, as in OIG's RAT-STATS
//! attribute appraisals; Wilson's score interval is there for comparison.
//!
//! Written by hand (log-gamma, the regularized incomplete beta function by
//! continued fraction, and an inverse normal) to keep the core free of
//! numerical dependencies; tests check against values from SciPy.

/// Natural log of the gamma function (Lanczos, g = 7, n = 9).
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + 7.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Continued fraction for the incomplete beta function (modified Lentz).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=300 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-14 {
            break;
        }
    }
    h
}

/// The regularized incomplete beta function I_x(a, b).
pub fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    incomplete_beta_with(a, b, ln_beta_norm(a, b), x)
}

/// `ln Γ(a+b) − ln Γ(a) − ln Γ(b)`, the part of [`incomplete_beta`] that
/// does not depend on `x`: a quantile search computes it once, not at
/// every step.
fn ln_beta_norm(a: f64, b: f64) -> f64 {
    ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b)
}

/// [`incomplete_beta`] given `norm = ln_beta_norm(a, b)`.
fn incomplete_beta_with(a: f64, b: f64, norm: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (norm + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, 1.0 - x) / b
    }
}

/// The `p` quantile of the Beta(a, b) distribution, by bisection down to
/// adjacent floats: once the midpoint rounds to an end, further halving
/// cannot move either end, so the loop stops there.
fn beta_quantile(p: f64, a: f64, b: f64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let norm = ln_beta_norm(a, b);
    for _ in 0..1100 {
        let mid = 0.5 * (lo + hi);
        if mid == lo || mid == hi {
            break;
        }
        if incomplete_beta_with(a, b, norm, mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The `p` quantile of the standard normal distribution (Acklam's rational
/// approximation, relative error below 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] =
        [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];
    let p_low = 0.024_25;
    if p < p_low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - p_low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -normal_quantile(1.0 - p)
    }
}

/// Exact (Clopper-Pearson) two-sided interval for `x` successes in `n`.
pub fn clopper_pearson(x: u64, n: u64, confidence: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let alpha = 1.0 - confidence;
    let (x, n) = (x as f64, n as f64);
    let lo = if x == 0.0 { 0.0 } else { beta_quantile(alpha / 2.0, x, n - x + 1.0) };
    let hi = if x == n { 1.0 } else { beta_quantile(1.0 - alpha / 2.0, x + 1.0, n - x) };
    (lo, hi)
}

/// Wilson score two-sided interval for `x` successes in `n`.
pub fn wilson(x: u64, n: u64, confidence: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = normal_quantile(1.0 - (1.0 - confidence) / 2.0);
    let (x, n) = (x as f64, n as f64);
    let p = x / n;
    let d = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / d;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / d;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// A proportion with its 90% Clopper-Pearson interval.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Rate {
    pub count: u64,
    pub of: u64,
    pub rate: f64,
    /// Two-sided 90% exact (Clopper-Pearson) interval.
    pub ci90: (f64, f64),
}

impl Rate {
    pub fn new(count: u64, of: u64) -> Rate {
        let rate = if of == 0 { 0.0 } else { count as f64 / of as f64 };
        Rate { count, of, rate, ci90: clopper_pearson(count, of, 0.90) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-5 && (a.1 - b.1).abs() < 1e-5
    }

    /// Reference values from scipy.stats (beta.ppf, norm.ppf).
    #[test]
    fn intervals_match_reference_values() {
        let cases = [
            (0, 10, (0.0, 0.258866), (0.0, 0.212942)),
            (5, 20, (0.104081, 0.455582), (0.127377, 0.432202)),
            (12, 40, (0.183121, 0.440280), (0.196633, 0.428708)),
            (30, 30, (0.904966, 1.0), (0.917276, 1.0)),
            (1, 200, (0.000256, 0.023498), (0.001116, 0.022097)),
        ];
        for (x, n, cp, w) in cases {
            assert!(close(clopper_pearson(x, n, 0.90), cp), "CP {x}/{n}: {:?}", clopper_pearson(x, n, 0.90));
            assert!(close(wilson(x, n, 0.90), w), "Wilson {x}/{n}: {:?}", wilson(x, n, 0.90));
        }
        assert!((normal_quantile(0.95) - 1.644_853_6).abs() < 1e-6);
        assert_eq!(Rate::new(0, 0).ci90, (0.0, 1.0));
    }
}
