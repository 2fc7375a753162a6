// RunOutputs: where a pipeline run writes its files ("kept.jsonl", "rejected.jsonl", "report.json",
// "README.md", "train.jsonl", ...). The CLI opens files in a directory; the studio keeps MemorySinks.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>

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

// Outputs held in memory (the studio, tests). Get() returns nullptr for an output never opened.
class MemoryOutputs final : public RunOutputs {
 public:
  Result<FileSink*> Open(const std::string& name) override {
    auto& s = m_sinks[name];
    s = std::make_unique<MemorySink>(name);
    return static_cast<FileSink*>(s.get());
  }
  const std::string* Get(const std::string& name) const {
    auto it = m_sinks.find(name);
    return it == m_sinks.end() ? nullptr : &it->second->data();
  }
  // Moves output `name` out (empty when absent): no copy of a large kept.jsonl. Only once the run
  // that writes it has ended.
  std::string Take(const std::string& name) {
    auto it = m_sinks.find(name);
    return it == m_sinks.end() ? std::string() : std::move(it->second->data());
  }
  // Names of the outputs, sorted.
  std::vector<std::string> Names() const {
    std::vector<std::string> n;
    for (const auto& [k, v] : m_sinks) n.push_back(k);
    return n;
  }

 private:
  std::map<std::string, std::unique_ptr<MemorySink>> m_sinks;
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
