// Shared body of the reader fuzz targets: read everything, convert every row to every format,
// and check the invariants that must hold for any input: no crash, every row accounted for
// exactly once, every output line valid JSON.
#pragma once
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "io/memory_io.h"
#include "io/reader.h"
#include "io/writer.h"

namespace winnow {

inline void FuzzReader(const uint8_t* data, size_t size, FileKind kind, const char* name) {
  MemorySource src(name, std::string(reinterpret_cast<const char*>(data), size));
  ReadOptions opts;
  opts.kind = kind;
  opts.repair_utf8 = size > 0 && (data[0] & 1);
  auto r = ExampleReader::Open(src, opts);
  if (!r.ok()) return;  // a clear error for a file that is not a dataset is fine
  Example ex;
  RowProblem p;
  std::string out, why;
  for (int guard = 0; guard < 100000; ++guard) {
    auto n = r.value()->Read(&ex, &p);
    if (!n.ok() || n.value() == ExampleReader::Next::End) return;
    if (n.value() == ExampleReader::Next::Problem) {
      if (p.reason.empty()) std::abort();
      out.clear();
      EncodeProblem(p, name, "read", &out);
      if (nlohmann::json::parse(out, nullptr, false).is_discarded()) std::abort();
      continue;
    }
    for (Format f : {Format::Alpaca, Format::ShareGPT, Format::Messages, Format::Preference, Format::KTO, Format::Text}) {
      out.clear();
      if (EncodeExample(ex, f, &out, &why)) {
        if (nlohmann::json::parse(out, nullptr, false).is_discarded()) std::abort();
      } else if (why.empty() || !out.empty()) {
        std::abort();
      }
    }
  }
  std::abort();  // more rows than bytes can produce: the reader is looping
}

}  // namespace winnow
