#include "dedup/lsh_params.h"

#include <vector>

namespace winnow {

namespace {
double IntPow(double x, int n) {
  double r = 1.0;
  for (int i = 0; i < n; ++i) r *= x;
  return r;
}
// Midpoint rule with a fixed number of steps (deterministic).
constexpr int kSteps = 400;
}  // namespace

double CandidateProbability(double s, int bands, int rows) {
  return 1.0 - IntPow(1.0 - IntPow(s, rows), bands);
}

LshParams ChooseLshParams(double threshold, int num_perm, double fp_weight, double fn_weight) {
  // For each rows count r, s^r is computed once per grid point and (1 - s^r)^b is advanced one band
  // at a time: the same products CandidateProbability forms, in a fraction of the time.
  const double wl = threshold / kSteps, wh = (1.0 - threshold) / kSteps;
  std::vector<double> xl(kSteps), xh(kSteps), ql(kSteps), qh(kSteps);
  LshParams best;
  double best_err = 2.0;
  for (int r = 1; r <= num_perm; ++r) {
    for (int i = 0; i < kSteps; ++i) {
      xl[i] = IntPow((i + 0.5) * wl, r);
      xh[i] = IntPow(threshold + (i + 0.5) * wh, r);
      ql[i] = qh[i] = 1.0;
    }
    for (int b = 1; b * r <= num_perm; ++b) {
      double fp = 0, fn = 0;
      for (int i = 0; i < kSteps; ++i) {
        ql[i] *= 1.0 - xl[i];
        qh[i] *= 1.0 - xh[i];
        fp += (1.0 - ql[i]) * wl;
        fn += qh[i] * wh;
      }
      double err = fp_weight * fp + fn_weight * fn;
      if (err < best_err || (err == best_err && b < best.bands)) {
        best_err = err;
        best = LshParams{b, r, fp, fn};
      }
    }
  }
  return best;
}

}  // namespace winnow
