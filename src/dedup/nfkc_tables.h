// The Unicode tables behind nfkc.h. Their definitions are generated at build time by
// scripts/gen_nfkc_tables.py from /usr/share/unicode (Debian's unicode-data) into the build folder.
#pragma once
#include <cstddef>
#include <cstdint>

namespace winnow::nfkc {

extern const char kUnicodeVersion[];     // e.g. "15.0.0"
extern const uint32_t kCccEntries[];     // sorted: cp << 8 | canonical combining class (non-zero only)
extern const size_t kCccCount;
extern const uint32_t kDecompCps[];      // sorted code points that have a decomposition
extern const uint32_t kDecompRefs[];     // parallel: offset into kDecompPool << 8 | length
extern const size_t kDecompCount;
extern const uint32_t kDecompPool[];     // full (recursive) compatibility decompositions
extern const uint64_t kComposeKeys[];    // sorted: first << 21 | second (primary composites only)
extern const uint32_t kComposeValues[];  // parallel: the composite
extern const size_t kComposeCount;

}  // namespace winnow::nfkc
