// Choosing LSH bands × rows for a MinHash signature: the S-curve P(s) = 1 - (1 - s^r)^b gives the
// chance that a pair of Jaccard s becomes a candidate; bands and rows are chosen to minimise the
// weighted false-positive area (below the threshold) plus false-negative area (above it).
#pragma once

namespace winnow {

struct LshParams {
  int bands = 0;
  int rows = 0;
  double false_positive = 0;  // ∫_0^t P(s) ds
  double false_negative = 0;  // ∫_t^1 (1 - P(s)) ds
};

// Probability that a pair with Jaccard s shares at least one band (integer powers only, so the
// result is bit-identical on every platform).
double CandidateProbability(double s, int bands, int rows);
// Searches every bands × rows <= num_perm. Ties keep the smaller band count.
LshParams ChooseLshParams(double threshold, int num_perm, double fp_weight = 0.5, double fn_weight = 0.5);

}  // namespace winnow
