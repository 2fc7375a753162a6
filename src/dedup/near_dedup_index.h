// NearDedupIndex: streaming near-duplicate detection. Each added document is MinHashed, its band
// hashes are looked up in an LSH table (open addressing, one entry per distinct band bucket plus a
// chain of members), candidates are optionally verified by the exact Jaccard of their shingle sets,
// and matches are merged in a union-find whose representative is the earliest document.
// Memory per document: bands × (4 bytes of chain link + ~12 bytes of table), plus 4 bytes per
// shingle when verifying (32-bit shingle fingerprints: a collision changes a Jaccard by 1/|A∪B|
// with probability ~2^-32 per pair of shingles) or bands × rows × 8 bytes of signature when not.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "dedup/lsh_params.h"
#include "dedup/minhash.h"
#include "dedup/union_find.h"

namespace winnow {

// S-curve weights used when bands / rows are chosen for a verifying index (see the .cpp).
constexpr double kVerifiedFpWeight = 0.2, kVerifiedFnWeight = 0.8;

struct NearDedupOptions {
  MinHashOptions minhash;
  double threshold = 0.8;       // Jaccard above which two documents are near duplicates
  bool verify = true;           // confirm candidates by exact Jaccard of the shingle sets
  int bands = 0, rows = 0;      // 0 = chosen from threshold (ChooseLshParams; recall-weighted when verifying)
  int max_candidates = 64;      // bucket members examined per band, newest first
};

struct NearMatch {
  uint32_t doc = 0;       // the earlier document
  double jaccard = 0;     // exact when verifying, else the signature estimate
};

class NearDedupIndex {
 public:
  explicit NearDedupIndex(const NearDedupOptions& opts);
  const LshParams& lsh() const { return m_lsh; }
  // Adds a document (text already normalized) and returns its index. *best receives the most
  // similar earlier document that matched (doc == index itself when none did). When matches is
  // not null it is cleared and receives every earlier document that matched, in the order found
  // (at most bands × max_candidates), e.g. for a caller that checks pairs after clustering.
  uint32_t Add(std::string_view text, NearMatch* best, std::vector<NearMatch>* matches = nullptr);
  // Cluster representative (earliest member) of doc.
  uint32_t Cluster(uint32_t doc) { return m_uf.Find(doc); }
  size_t size() const { return m_uf.size(); }
  uint64_t candidates_checked() const { return m_candidates; }
  uint64_t candidates_confirmed() const { return m_confirmed; }
  // Exact Jaccard of two added documents' shingle sets (needs verify = true).
  double DocJaccard(uint32_t a, uint32_t b) const;
  size_t MemoryBytes() const;

 private:
  // Open-addressing table of band buckets: 32-bit key fingerprints (0 = empty; a fingerprint
  // collision only adds a candidate, which verification or the signature check rejects) and the
  // head of each bucket's chain (latest link index + 1). Link l belongs to document l / bands.
  uint32_t* FindOrInsert(uint64_t key);
  void Grow();
  std::span<const uint32_t> DocShingles(uint32_t doc) const;

  NearDedupOptions m_opts;
  LshParams m_lsh;
  MinHasher m_hasher;
  UnionFind m_uf;
  // Key and head side by side: a lookup touches one cache line, not two (the table is far larger
  // than the caches at a million documents, so each band's lookup is a cache miss).
  struct Slot {
    uint32_t key = 0, head = 0;
  };
  std::vector<Slot> m_slots;
  size_t m_used = 0;
  std::vector<uint32_t> m_link_next;               // chains of bucket members
  // verify: sorted 32-bit shingle fingerprints per document, in chunks that never move
  std::vector<std::vector<uint32_t>> m_chunks;
  struct ShingleRef {
    uint32_t chunk, offset, length;
  };
  std::vector<ShingleRef> m_shingle_refs;
  std::vector<uint32_t> m_fp;                      // scratch
  std::vector<uint64_t> m_sigs;                    // !verify: signatures (bands*rows per doc)
  std::vector<uint64_t> m_shingles, m_sig;         // scratch
  std::vector<uint32_t> m_seen;                    // scratch: candidates of the current doc
  std::vector<uint64_t> m_band_keys;               // scratch: the current doc's band hashes
  uint64_t m_candidates = 0, m_confirmed = 0;
};

}  // namespace winnow
