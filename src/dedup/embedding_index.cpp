// Embedding math and the semantic-duplicate index (see embedding_index.h).
#include "dedup/embedding_index.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace winnow {
namespace {

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

void MeanPool(const float* hidden, const int64_t* mask, size_t seq, size_t dim, float* out) {
  std::vector<double> acc(dim, 0.0);
  size_t count = 0;
  for (size_t s = 0; s < seq; ++s) {
    if (mask[s] == 0) continue;
    ++count;
    const float* h = hidden + s * dim;
    for (size_t d = 0; d < dim; ++d) acc[d] += h[d];
  }
  for (size_t d = 0; d < dim; ++d) out[d] = count ? static_cast<float>(acc[d] / static_cast<double>(count)) : 0.0f;
}

double Dot(const float* a, const float* b, size_t dim) {
  double s = 0;
  for (size_t i = 0; i < dim; ++i) s += static_cast<double>(a[i]) * static_cast<double>(b[i]);
  return s;
}

double L2Normalize(std::span<float> v) {
  const double norm = std::sqrt(Dot(v.data(), v.data(), v.size()));
  if (norm > 0) {
    for (float& x : v) x = static_cast<float>(x / norm);
  }
  return norm;
}

EmbeddingIndex::EmbeddingIndex(size_t dim, EmbeddingIndexOptions opts) : m_dim(dim), m_opts(opts) {}

uint32_t EmbeddingIndex::Add(std::span<const float> v) {
  const size_t at = m_data.size();
  m_data.resize(at + m_dim, 0.0f);
  std::copy_n(v.begin(), std::min(v.size(), m_dim), m_data.begin() + static_cast<std::ptrdiff_t>(at));
  L2Normalize(std::span<float>(m_data.data() + at, m_dim));
  return static_cast<uint32_t>(m_count++);
}

void EmbeddingIndex::Link(uint32_t a, uint32_t b, double cos) {
  ++m_pairs_matched;
  // b's best earlier match: highest cosine, ties to the earlier row.
  EmbeddingMatch& bm = m_best[b];
  if (bm.doc == b || cos > bm.cosine) bm = EmbeddingMatch{a, cos};
  auto find = [this](uint32_t x) {
    while (m_parent[x] != x) {
      m_parent[x] = m_parent[m_parent[x]];
      x = m_parent[x];
    }
    return x;
  };
  uint32_t ra = find(a), rb = find(b);
  if (ra == rb) return;
  if (ra < rb) {
    m_parent[rb] = ra;
  } else {
    m_parent[ra] = rb;
  }
}

void EmbeddingIndex::Build() {
  const uint32_t n = static_cast<uint32_t>(m_count);
  m_parent.resize(n);
  m_best.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    m_parent[i] = i;
    m_best[i] = EmbeddingMatch{i, 0};
  }
  const double thr = m_opts.threshold;
  m_exact = m_count <= m_opts.exact_max;
  if (m_exact) {
    for (uint32_t b = 1; b < n; ++b) {
      const float* vb = Vector(b);
      for (uint32_t a = 0; a < b; ++a) {
        const double c = Dot(Vector(a), vb, m_dim);
        ++m_pairs_compared;
        if (c >= thr) Link(a, b, c);
      }
    }
  } else {
    HyperplaneLsh lsh(m_dim, m_opts.lsh_bits, m_opts.lsh_tables, m_opts.seed);
    const int tables = lsh.tables();
    // Bucket -> earlier rows (ordered map: the iteration order never reaches outputs, but keeps
    // the candidate order fixed).
    std::vector<std::map<uint64_t, std::vector<uint32_t>>> buckets(static_cast<size_t>(tables));
    std::vector<uint64_t> keys(static_cast<size_t>(tables));
    std::vector<uint32_t> cand;
    for (uint32_t b = 0; b < n; ++b) {
      lsh.Keys(Vector(b), keys.data());
      cand.clear();
      for (int t = 0; t < tables; ++t) {
        auto& bucket = buckets[static_cast<size_t>(t)][keys[static_cast<size_t>(t)]];
        // Most recent rows first, capped.
        for (size_t k = bucket.size(); k-- > 0 && cand.size() < m_opts.max_candidates * 4;) cand.push_back(bucket[k]);
        bucket.push_back(b);
      }
      std::sort(cand.begin(), cand.end());
      cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
      if (cand.size() > m_opts.max_candidates) cand.erase(cand.begin(), cand.end() - static_cast<std::ptrdiff_t>(m_opts.max_candidates));
      for (uint32_t a : cand) {
        const double c = Dot(Vector(a), Vector(b), m_dim);
        ++m_pairs_compared;
        if (c >= thr) Link(a, b, c);
      }
    }
  }
  m_root.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t x = i;
    while (m_parent[x] != x) x = m_parent[x];
    m_root[i] = x;
  }
}

HyperplaneLsh::HyperplaneLsh(size_t dim, int bits, int tables, uint64_t seed)
    : m_dim(dim), m_bits(std::clamp(bits, 1, 64)), m_tables(std::max(tables, 1)) {
  m_planes.resize(static_cast<size_t>(m_tables) * static_cast<size_t>(m_bits) * dim);
  uint64_t state = seed ^ 0x5EED0F1A5Bull;
  uint64_t word = 0;
  int left = 0;
  for (auto& p : m_planes) {
    if (left == 0) {
      word = SplitMix64(&state);
      left = 64;
    }
    p = (word & 1) ? 1 : -1;
    word >>= 1;
    --left;
  }
}

void HyperplaneLsh::Keys(const float* v, uint64_t* out) const {
  const int8_t* p = m_planes.data();
  for (int t = 0; t < m_tables; ++t) {
    uint64_t key = static_cast<uint64_t>(t) << 58;  // keys of different tables never collide by accident
    uint64_t bits = 0;
    for (int b = 0; b < m_bits; ++b, p += m_dim) {
      double s = 0;
      for (size_t d = 0; d < m_dim; ++d) s += p[d] > 0 ? v[d] : -v[d];
      bits = (bits << 1) | (s >= 0 ? 1u : 0u);
    }
    out[t] = key ^ bits;
  }
}

std::vector<float> Pca2D(const float* data, size_t n, size_t dim, uint64_t seed, int iterations) {
  std::vector<float> out(2 * n, 0.0f);
  if (n == 0 || dim == 0) return out;
  std::vector<double> mean(dim, 0.0);
  for (size_t i = 0; i < n; ++i)
    for (size_t d = 0; d < dim; ++d) mean[d] += data[i * dim + d];
  for (double& m : mean) m /= static_cast<double>(n);
  // Covariance-vector product without forming the matrix: C v = X^T (X v) / n.
  auto cov_times = [&](const std::vector<double>& v, std::vector<double>* res) {
    res->assign(dim, 0.0);
    for (size_t i = 0; i < n; ++i) {
      double xv = 0;
      for (size_t d = 0; d < dim; ++d) xv += (data[i * dim + d] - mean[d]) * v[d];
      for (size_t d = 0; d < dim; ++d) (*res)[d] += (data[i * dim + d] - mean[d]) * xv;
    }
  };
  auto normalize = [](std::vector<double>* v) {
    double s = 0;
    for (double x : *v) s += x * x;
    s = std::sqrt(s);
    if (s > 0)
      for (double& x : *v) x /= s;
    return s;
  };
  uint64_t state = seed ^ 0x9CA2D00Dull;
  std::vector<std::vector<double>> comps;
  for (int c = 0; c < 2; ++c) {
    std::vector<double> v(dim), w;
    for (double& x : v) x = static_cast<double>(SplitMix64(&state) >> 11) / 9007199254740992.0 - 0.5;
    normalize(&v);
    for (int it = 0; it < iterations; ++it) {
      cov_times(v, &w);
      for (const auto& prev : comps) {  // deflate: remove the earlier component
        double p = 0;
        for (size_t d = 0; d < dim; ++d) p += w[d] * prev[d];
        for (size_t d = 0; d < dim; ++d) w[d] -= p * prev[d];
      }
      if (normalize(&w) == 0) break;
      v.swap(w);
    }
    comps.push_back(v);
  }
  for (int c = 0; c < 2; ++c) {
    size_t far = 0;
    double far_abs = -1, far_val = 0;
    for (size_t i = 0; i < n; ++i) {
      double p = 0;
      for (size_t d = 0; d < dim; ++d) p += (data[i * dim + d] - mean[d]) * comps[static_cast<size_t>(c)][d];
      out[2 * i + static_cast<size_t>(c)] = static_cast<float>(p);
      if (std::fabs(p) > far_abs) far_abs = std::fabs(p), far = i, far_val = p;
    }
    (void)far;
    if (far_val < 0)
      for (size_t i = 0; i < n; ++i) out[2 * i + static_cast<size_t>(c)] = -out[2 * i + static_cast<size_t>(c)];
  }
  return out;
}

}  // namespace winnow
