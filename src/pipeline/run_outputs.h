// RunOutputs: where a pipeline run writes its files ("kept.jsonl", "rejected.jsonl", "report.json",
// "README.md", "train.jsonl", ...). The CLI opens files in a directory; the studio keeps each output
// in memory as ChunkedBytes (bounded parts: a 1 GB kept.jsonl is never reallocated as it grows).
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/chunked_bytes.h"
#include "core/result.h"
#include "io/memory_io.h"
#include "platform/file_io.h"

namespace winnow {

class RunOutputs {
 public:
  virtual ~RunOutputs() = default;
  // Opens (creates / truncates) the output `name`; the sink stays owned by this object and valid
  // until it is destroyed. Errors: io_error.
  virtual Result<FileSink*> Open(const std::string& name) = 0;
};

// Outputs held in memory (the studio, tests), each as ChunkedBytes of part_bytes parts.
class MemoryOutputs final : public RunOutputs {
 public:
  explicit MemoryOutputs(size_t part_bytes = ChunkedBytes::kDefaultPartBytes) : m_part_bytes(part_bytes) {}
  Result<FileSink*> Open(const std::string& name) override {
    auto& s = m_sinks[name];
    s = std::make_unique<ChunkedSink>(name, m_part_bytes);
    return static_cast<FileSink*>(s.get());
  }
  // Output `name`, owned by this object; nullptr for an output never opened.
  const ChunkedBytes* Get(const std::string& name) const {
    auto it = m_sinks.find(name);
    return it == m_sinks.end() ? nullptr : &it->second->data();
  }
  // Output `name` as one contiguous copy ("" when absent): for small outputs (report.json, the
  // card) and tests; read large ones through Get().
  std::string Text(const std::string& name) const {
    const ChunkedBytes* b = Get(name);
    return b ? b->ToString() : std::string();
  }
  // Moves output `name` out (empty when absent): no copy of a large kept.jsonl. Only once the run
  // that writes it has ended.
  ChunkedBytes Take(const std::string& name) {
    auto it = m_sinks.find(name);
    return it == m_sinks.end() ? ChunkedBytes(m_part_bytes) : std::move(it->second->data());
  }
  // Names of the outputs, sorted.
  std::vector<std::string> Names() const {
    std::vector<std::string> n;
    for (const auto& [k, v] : m_sinks) n.push_back(k);
    return n;
  }

 private:
  size_t m_part_bytes;
  std::map<std::string, std::unique_ptr<ChunkedSink>> m_sinks;
};

// Outputs opened by a function (the CLI: OpenOutputFile(dir + "/" + name)).
class OpenerOutputs final : public RunOutputs {
 public:
  using Opener = std::function<Result<std::unique_ptr<FileSink>>(const std::string& name)>;
  explicit OpenerOutputs(Opener open) : m_open(std::move(open)) {}
  Result<FileSink*> Open(const std::string& name) override {
    auto r = m_open(name);
    if (!r.ok()) return r.error();
    m_sinks.push_back(std::move(r.value()));
    return m_sinks.back().get();
  }

 private:
  Opener m_open;
  std::vector<std::unique_ptr<FileSink>> m_sinks;
};

}  // namespace winnow
