#include "dedup/lsh_params.h"

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
  LshParams best;
  double best_err = 2.0;
  for (int b = 1; b <= num_perm; ++b) {
    for (int r = 1; b * r <= num_perm; ++r) {
      double fp = 0, fn = 0;
      double w = threshold / kSteps;
      for (int i = 0; i < kSteps; ++i) fp += CandidateProbability((i + 0.5) * w, b, r) * w;
      w = (1.0 - threshold) / kSteps;
      for (int i = 0; i < kSteps; ++i) fn += (1.0 - CandidateProbability(threshold + (i + 0.5) * w, b, r)) * w;
      double err = fp_weight * fp + fn_weight * fn;
      if (err < best_err) {
        best_err = err;
        best = LshParams{b, r, fp, fn};
      }
    }
  }
  return best;
}

}  // namespace winnow
