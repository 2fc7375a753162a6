#include "dedup/near_dedup_index.h"

#include <algorithm>

#include "core/hash.h"

namespace winnow {

NearDedupIndex::NearDedupIndex(const NearDedupOptions& opts) : m_opts(opts), m_hasher(opts.minhash) {
  if (opts.bands > 0 && opts.rows > 0) {
    m_lsh.bands = opts.bands;
    m_lsh.rows = opts.rows;
  } else {
    m_lsh = ChooseLshParams(opts.threshold, opts.minhash.num_perm);
  }
  m_table.resize(1024);
  if (m_opts.verify) m_shingle_begin.push_back(0);
  m_sig.resize(static_cast<size_t>(opts.minhash.num_perm));
}

void NearDedupIndex::Grow() {
  std::vector<Slot> old;
  old.swap(m_table);
  m_table.assign(old.size() * 2, Slot{});
  const size_t mask = m_table.size() - 1;
  for (const Slot& s : old) {
    if (s.key == 0) continue;
    size_t i = static_cast<size_t>(s.key) & mask;
    while (m_table[i].key != 0) i = (i + 1) & mask;
    m_table[i] = s;
  }
}

uint32_t* NearDedupIndex::FindOrInsert(uint64_t key) {
  if ((m_used + 1) * 10 > m_table.size() * 7) Grow();
  const size_t mask = m_table.size() - 1;
  size_t i = static_cast<size_t>(key) & mask;
  while (m_table[i].key != 0 && m_table[i].key != key) i = (i + 1) & mask;
  if (m_table[i].key == 0) {
    m_table[i].key = key;
    m_table[i].head = 0;
    ++m_used;
  }
  return &m_table[i].head;
}

uint32_t NearDedupIndex::Add(std::string_view text, NearMatch* best) {
  const uint32_t doc = m_uf.Add();
  m_hasher.Shingles(text, &m_shingles);
  const int bands = m_lsh.bands, rows = m_lsh.rows;
  m_hasher.SignaturePrefix(m_shingles, m_sig.data(), bands * rows);
  if (m_opts.verify) {
    m_shingle_pool.insert(m_shingle_pool.end(), m_shingles.begin(), m_shingles.end());
    m_shingle_begin.push_back(m_shingle_pool.size());
  } else {
    m_sigs.insert(m_sigs.end(), m_sig.begin(), m_sig.begin() + bands * rows);
  }
  best->doc = doc;
  best->jaccard = 0;
  m_seen.clear();
  for (int b = 0; b < bands; ++b) {
    std::string_view bytes(reinterpret_cast<const char*>(m_sig.data() + b * rows), sizeof(uint64_t) * rows);
    uint64_t key = Hash64(bytes, static_cast<uint64_t>(b) + 1);
    if (key == 0) key = 1;
    uint32_t* head = FindOrInsert(key);
    int examined = 0;
    for (uint32_t link = *head; link != 0 && examined < m_opts.max_candidates; link = m_link_next[link - 1]) {
      uint32_t other = m_link_doc[link - 1];
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
      if (sim > best->jaccard || (sim == best->jaccard && other < best->doc)) {
        best->doc = other;
        best->jaccard = sim;
      }
    }
    m_link_doc.push_back(doc);
    m_link_next.push_back(*head);
    *head = static_cast<uint32_t>(m_link_doc.size());
  }
  return doc;
}

double NearDedupIndex::DocJaccard(uint32_t a, uint32_t b) const {
  if (!m_opts.verify) return 0;
  std::span<const uint64_t> sa(m_shingle_pool.data() + m_shingle_begin[a], m_shingle_begin[a + 1] - m_shingle_begin[a]);
  std::span<const uint64_t> sb(m_shingle_pool.data() + m_shingle_begin[b], m_shingle_begin[b + 1] - m_shingle_begin[b]);
  return Jaccard(sa, sb);
}

size_t NearDedupIndex::MemoryBytes() const {
  return m_table.capacity() * sizeof(Slot) + (m_link_doc.capacity() + m_link_next.capacity()) * 4 +
         (m_shingle_pool.capacity() + m_shingle_begin.capacity() + m_sigs.capacity()) * 8 + size() * 4;
}

}  // namespace winnow
