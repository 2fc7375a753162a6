#include "dedup/near_dedup_index.h"

#include <algorithm>

#include "core/hash.h"

namespace winnow {

namespace {
constexpr size_t kChunk = 1u << 20;  // shingle fingerprints per chunk
uint32_t Fingerprint(uint64_t key) {
  uint32_t k = static_cast<uint32_t>(key >> 32);
  return k == 0 ? 1 : k;
}
}  // namespace

NearDedupIndex::NearDedupIndex(const NearDedupOptions& opts) : m_opts(opts), m_hasher(opts.minhash) {
  if (opts.bands > 0 && opts.rows > 0) {
    m_lsh.bands = opts.bands;
    m_lsh.rows = opts.rows;
  } else {
    // With verification a false-positive candidate costs one exact Jaccard of two short sorted
    // arrays and never becomes a wrong match, while a false negative is a duplicate lost for good:
    // weight the S-curve's false-negative area 4:1 (at 0.8 / 128 perms: 12 x 10 instead of the
    // balanced 9 x 13, whose P(candidate) is only 0.60 at Jaccard 0.84).
    m_lsh = opts.verify ? ChooseLshParams(opts.threshold, opts.minhash.num_perm, kVerifiedFpWeight, kVerifiedFnWeight)
                        : ChooseLshParams(opts.threshold, opts.minhash.num_perm);
  }
  m_slots.assign(1024, Slot{});
  m_sig.resize(static_cast<size_t>(opts.minhash.num_perm));
}

void NearDedupIndex::Grow() {
  std::vector<Slot> old;
  old.swap(m_slots);
  m_slots.assign(old.size() * 2, Slot{});
  const size_t mask = m_slots.size() - 1;
  for (const Slot& s : old) {
    if (s.key == 0) continue;
    // The slot is derived from the fingerprint alone, so the table can be rebuilt from it.
    size_t i = static_cast<size_t>(Mix64(s.key)) & mask;
    while (m_slots[i].key != 0) i = (i + 1) & mask;
    m_slots[i] = s;
  }
}

uint32_t* NearDedupIndex::FindOrInsert(uint64_t key) {
  if ((m_used + 1) * 10 > m_slots.size() * 7) Grow();
  const uint32_t fp = Fingerprint(key);
  const size_t mask = m_slots.size() - 1;
  size_t i = static_cast<size_t>(Mix64(fp)) & mask;
  while (m_slots[i].key != 0 && m_slots[i].key != fp) i = (i + 1) & mask;
  if (m_slots[i].key == 0) {
    m_slots[i] = Slot{fp, 0};
    ++m_used;
  }
  return &m_slots[i].head;
}

std::span<const uint32_t> NearDedupIndex::DocShingles(uint32_t doc) const {
  const ShingleRef& r = m_shingle_refs[doc];
  return std::span<const uint32_t>(m_chunks[r.chunk].data() + r.offset, r.length);
}

uint32_t NearDedupIndex::Add(std::string_view text, NearMatch* best, std::vector<NearMatch>* matches) {
  const uint32_t doc = m_uf.Add();
  if (matches) matches->clear();
  m_hasher.Shingles(text, &m_shingles);
  const int bands = m_lsh.bands, rows = m_lsh.rows;
  m_hasher.SignaturePrefix(m_shingles, m_sig.data(), bands * rows);
  if (m_opts.verify) {
    m_fp.resize(m_shingles.size());
    for (size_t i = 0; i < m_shingles.size(); ++i) m_fp[i] = static_cast<uint32_t>(m_shingles[i] >> 32);
    std::sort(m_fp.begin(), m_fp.end());
    m_fp.erase(std::unique(m_fp.begin(), m_fp.end()), m_fp.end());
    if (m_chunks.empty() || m_chunks.back().size() + m_fp.size() > m_chunks.back().capacity()) {
      m_chunks.emplace_back();
      m_chunks.back().reserve(std::max(kChunk, m_fp.size()));
    }
    std::vector<uint32_t>& c = m_chunks.back();
    m_shingle_refs.push_back(ShingleRef{static_cast<uint32_t>(m_chunks.size() - 1), static_cast<uint32_t>(c.size()),
                                        static_cast<uint32_t>(m_fp.size())});
    c.insert(c.end(), m_fp.begin(), m_fp.end());
  } else {
    m_sigs.insert(m_sigs.end(), m_sig.begin(), m_sig.begin() + bands * rows);
  }
  best->doc = doc;
  best->jaccard = 0;
  m_seen.clear();
  // All band hashes first, each bucket's slot prefetched: the lookups below then overlap their
  // cache misses instead of taking them one after another.
  m_band_keys.resize(static_cast<size_t>(bands));
  for (int b = 0; b < bands; ++b) {
    std::string_view bytes(reinterpret_cast<const char*>(m_sig.data() + b * rows), sizeof(uint64_t) * rows);
    m_band_keys[b] = Hash64(bytes, static_cast<uint64_t>(b) + 1);
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(&m_slots[static_cast<size_t>(Mix64(Fingerprint(m_band_keys[b]))) & (m_slots.size() - 1)]);
#endif
  }
  for (int b = 0; b < bands; ++b) {
    uint32_t* head = FindOrInsert(m_band_keys[b]);
    int examined = 0;
    for (uint32_t link = *head; link != 0 && examined < m_opts.max_candidates; link = m_link_next[link - 1]) {
      uint32_t other = (link - 1) / static_cast<uint32_t>(bands);
      ++examined;
      if (std::find(m_seen.begin(), m_seen.end(), other) != m_seen.end()) continue;
      m_seen.push_back(other);
      ++m_candidates;
      double sim;
      if (m_opts.verify) {
        sim = DocJaccard(doc, other);
      } else {
        sim = SignatureSimilarity(m_sig.data(), m_sigs.data() + static_cast<size_t>(other) * bands * rows,
                                  bands * rows);
      }
      if (sim < m_opts.threshold) continue;
      ++m_confirmed;
      m_uf.Union(doc, other);
      if (matches) matches->push_back(NearMatch{other, sim});
      if (sim > best->jaccard || (sim == best->jaccard && other < best->doc)) {
        best->doc = other;
        best->jaccard = sim;
      }
    }
    // Link index doc * bands + b (links are appended in that order).
    m_link_next.push_back(*head);
    *head = static_cast<uint32_t>(m_link_next.size());
  }
  return doc;
}

double NearDedupIndex::DocJaccard(uint32_t a, uint32_t b) const {
  if (!m_opts.verify) return 0;
  std::span<const uint32_t> sa = DocShingles(a), sb = DocShingles(b);
  if (sa.empty() && sb.empty()) return 1.0;
  size_t i = 0, j = 0, inter = 0;
  while (i < sa.size() && j < sb.size()) {
    if (sa[i] < sb[j]) {
      ++i;
    } else if (sb[j] < sa[i]) {
      ++j;
    } else {
      ++inter;
      ++i;
      ++j;
    }
  }
  return static_cast<double>(inter) / static_cast<double>(sa.size() + sb.size() - inter);
}

size_t NearDedupIndex::MemoryBytes() const {
  size_t chunks = 0;
  for (const auto& c : m_chunks) chunks += c.capacity() * 4;
  return m_slots.capacity() * sizeof(Slot) + m_link_next.capacity() * 4 + chunks +
         m_shingle_refs.capacity() * sizeof(ShingleRef) + m_sigs.capacity() * 8 + size() * 4;
}

}  // namespace winnow
