#include "pii/pii_scanner.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>

namespace winnow::pii {

struct PiiScanner::Impl {
  std::vector<DetectorDef> defs;
  std::vector<std::unique_ptr<RE2>> res;  // one per def (nullptr when it failed to compile)
  std::unique_ptr<RE2::Set> set;          // nullptr when the set could not be built
  std::vector<int> set_to_def;            // set index -> def index
};

static RE2::Options PatternOptions() {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingLatin1);  // byte offsets; patterns are ASCII
  o.set_log_errors(false);
  o.set_max_mem(64 << 20);
  return o;
}

PiiScanner::PiiScanner() : m_impl(new Impl) {
  Impl& m = *m_impl;
  m.defs = AllDetectors();
  RE2::Options o = PatternOptions();
  m.set.reset(new RE2::Set(o, RE2::UNANCHORED));
  for (size_t i = 0; i < m.defs.size(); ++i) {
    auto re = std::make_unique<RE2>(m.defs[i].pattern, o);
    if (!re->ok()) {
      ++m_bad_patterns;
      m.res.push_back(nullptr);
      continue;
    }
    m.res.push_back(std::move(re));
    if (m.set->Add(m.defs[i].pattern, nullptr) >= 0) m.set_to_def.push_back(int(i));
  }
  if (!m.set->Compile()) m.set.reset();
}

PiiScanner::~PiiScanner() = default;

const PiiScanner& PiiScanner::Get() {
  static const PiiScanner scanner;
  return scanner;
}

namespace {
struct Candidate {
  uint32_t begin, end;
  PiiType type;
  uint8_t confidence;
};
}  // namespace

void PiiScanner::Find(std::string_view text, const ScanOptions& opt, std::vector<PiiSpan>* out) const {
  const Impl& m = *m_impl;
  if (text.empty() || text.size() > 0xffffffffu) return;
  // Which patterns occur at all: one DFA pass. When the set is unavailable or runs out of DFA
  // memory, every pattern is tried (same result, slower).
  std::vector<int> which;
  bool all = true;
  if (m.set) {
    std::vector<int> hits;
    RE2::Set::ErrorInfo info;
    if (m.set->Match(text, &hits, &info)) {
      all = false;
      for (int h : hits) which.push_back(m.set_to_def[size_t(h)]);
      std::sort(which.begin(), which.end());
    } else if (info.kind == RE2::Set::kNoError) {
      return;  // nothing matched
    }
  }
  if (all) {
    which.clear();
    for (size_t i = 0; i < m.defs.size(); ++i) which.push_back(int(i));
  }

  std::vector<Candidate> cands;
  for (int di : which) {
    const DetectorDef& d = m.defs[size_t(di)];
    const RE2* re = m.res[size_t(di)].get();
    if (!re || !opt.enabled[size_t(d.type)]) continue;
    size_t pos = 0;
    re2::StringPiece input(text.data(), text.size());
    re2::StringPiece match;
    while (pos <= text.size() && re->Match(input, pos, text.size(), RE2::UNANCHORED, &match, 1)) {
      size_t b = size_t(match.data() - text.data());
      size_t e = b + match.size();
      size_t vb = b, ve = e;
      int conf = d.validate(text, &vb, &ve, opt.detect);
      if (conf >= opt.min_confidence && ve > vb) {
        cands.push_back(Candidate{uint32_t(vb), uint32_t(ve), d.type, uint8_t(std::min(conf, 100))});
        pos = e > b ? e : b + 1;
      } else {
        pos = b + 1;  // a shorter / later candidate may still start inside this one
      }
    }
  }
  if (cands.empty()) return;

  // Resolve overlaps: most confident first, then longest, then leftmost, then type order.
  std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    if (a.end - a.begin != b.end - b.begin) return a.end - a.begin > b.end - b.begin;
    if (a.begin != b.begin) return a.begin < b.begin;
    return a.type < b.type;
  });
  std::vector<Candidate> kept;  // sorted by begin
  for (const Candidate& c : cands) {
    auto it = std::lower_bound(kept.begin(), kept.end(), c.begin,
                               [](const Candidate& k, uint32_t pos) { return k.end <= pos; });
    if (it != kept.end() && it->begin < c.end) continue;  // overlaps an accepted span
    kept.insert(it, c);
  }
  for (const Candidate& c : kept) out->push_back(PiiSpan{c.begin, c.end, c.type, c.confidence});
}

}  // namespace winnow::pii
