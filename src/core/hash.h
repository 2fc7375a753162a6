// Hashing: XXH3-64 (ids, exact dedup, MinHash) behind one small API so callers need not include xxhash.
#pragma once
#include <cstdint>
#include <string_view>

namespace winnow {

uint64_t Hash64(std::string_view bytes, uint64_t seed = 0);
// 128-bit XXH3 as two halves (for exact-dedup keys where collisions must be negligible).
struct Hash128 {
  uint64_t lo = 0, hi = 0;
  bool operator==(const Hash128&) const = default;
};
Hash128 Hash128Of(std::string_view bytes, uint64_t seed = 0);
// Lower-case 16-digit hex of a 64-bit value.
void HexU64(uint64_t v, char out[16]);

}  // namespace winnow
