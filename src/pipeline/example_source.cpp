#include "pipeline/example_source.h"

namespace winnow {

std::string BaseName(const std::string& path) {
  size_t p = path.find_last_of("/\\");
  return p == std::string::npos ? path : path.substr(p + 1);
}

namespace {

class FileListSource final : public ExampleSource {
 public:
  FileListSource(std::vector<std::string> paths, FileOpener open, ReadOptions opts)
      : m_paths(std::move(paths)), m_open(std::move(open)), m_opts(opts) {}

  Result<ExampleReader::Next> Read(Example* ex, RowProblem* problem) override {
    for (;;) {
      if (!m_reader) {
        if (m_next >= m_paths.size()) return ExampleReader::Next::End;
        auto src = m_open(m_paths[m_next]);
        if (!src.ok()) return src.error();
        m_source = std::move(src.value());
        ReadOptions o = m_opts;
        o.file_index = static_cast<uint32_t>(m_next);
        auto r = ExampleReader::Open(*m_source, o);
        if (!r.ok()) {
          Error e = r.error();
          if (e.message.find(m_paths[m_next]) == std::string::npos) e.message = m_paths[m_next] + ": " + e.message;
          return e;
        }
        m_reader = std::move(r.value());
        m_decoders.push_back(m_reader->kind() == FileKind::Jsonl ? m_reader->LineDecoder() : SourceRowDecoder());
        m_names.push_back(BaseName(m_paths[m_next]));
        InputInfo info;
        info.name = m_names.back();
        info.format = m_reader->format();
        info.kind = m_reader->kind();
        m_inputs.push_back(info);
        ++m_next;
      }
      auto n = m_reader->Read(ex, problem);
      if (!n.ok()) return n.error();
      if (n.value() == ExampleReader::Next::End) {
        m_done_before += m_source->Consumed();
        m_reader.reset();
        m_source.reset();
        continue;
      }
      m_last_jsonl = {};
      if (n.value() == ExampleReader::Next::Row) {
        ++m_inputs.back().rows;
        if (m_reader->kind() == FileKind::Jsonl) m_last_jsonl = m_reader->LastRaw();
      } else {
        ++m_inputs.back().problems;
      }
      return n.value();
    }
  }
  const std::vector<std::string>& Names() const override { return m_names; }
  const std::vector<InputInfo>& Inputs() const override { return m_inputs; }
  uint64_t Done() const override { return m_done_before + (m_source ? m_source->Consumed() : 0); }
  uint64_t Total() const override { return m_total; }
  const char* Unit() const override { return "bytes"; }
  void SetTotal(uint64_t t) { m_total = t; }
  std::string_view LastJsonlLine() const override { return m_last_jsonl; }
  SourceRowDecoder LineDecoder(uint32_t file) const override {
    return file < m_decoders.size() ? m_decoders[file] : SourceRowDecoder();
  }

 private:
  std::vector<std::string> m_paths;
  FileOpener m_open;
  ReadOptions m_opts;
  size_t m_next = 0;
  std::unique_ptr<FileSource> m_source;
  std::unique_ptr<ExampleReader> m_reader;
  std::vector<std::string> m_names;
  std::vector<InputInfo> m_inputs;
  std::vector<SourceRowDecoder> m_decoders;  // by Origin::file
  std::string_view m_last_jsonl;
  uint64_t m_done_before = 0, m_total = 0;
};

class DatasetSource final : public ExampleSource {
 public:
  DatasetSource(const Dataset& d, std::string name) : m_data(d), m_names{name} {
    InputInfo info;
    info.name = std::move(name);
    if (!d.empty()) info.format = d.SourceFormat(0);
    m_inputs.push_back(info);
  }
  Result<ExampleReader::Next> Read(Example* ex, RowProblem*) override {
    if (m_pos >= m_data.size()) return ExampleReader::Next::End;
    *ex = m_data.Get(m_pos++);
    ++m_inputs[0].rows;
    return ExampleReader::Next::Row;
  }
  const std::vector<std::string>& Names() const override { return m_names; }
  const std::vector<InputInfo>& Inputs() const override { return m_inputs; }
  uint64_t Done() const override { return m_pos; }
  uint64_t Total() const override { return m_data.size(); }
  const char* Unit() const override { return "rows"; }

 private:
  const Dataset& m_data;
  size_t m_pos = 0;
  std::vector<std::string> m_names;
  std::vector<InputInfo> m_inputs;
};

class VectorSource final : public ExampleSource {
 public:
  VectorSource(std::vector<Example> rows, std::string name) : m_rows(std::move(rows)), m_names{name} {
    InputInfo info;
    info.name = std::move(name);
    if (!m_rows.empty()) info.format = m_rows[0].source_format;
    m_inputs.push_back(info);
  }
  Result<ExampleReader::Next> Read(Example* ex, RowProblem*) override {
    if (m_pos >= m_rows.size()) return ExampleReader::Next::End;
    *ex = std::move(m_rows[m_pos++]);
    ex->origin.file = 0;
    ++m_inputs[0].rows;
    return ExampleReader::Next::Row;
  }
  const std::vector<std::string>& Names() const override { return m_names; }
  const std::vector<InputInfo>& Inputs() const override { return m_inputs; }
  uint64_t Done() const override { return m_pos; }
  uint64_t Total() const override { return m_rows.size(); }
  const char* Unit() const override { return "rows"; }

 private:
  std::vector<Example> m_rows;
  size_t m_pos = 0;
  std::vector<std::string> m_names;
  std::vector<InputInfo> m_inputs;
};

}  // namespace

std::unique_ptr<ExampleSource> MakeFileListSource(std::vector<std::string> paths, FileOpener open, ReadOptions opts) {
  return std::make_unique<FileListSource>(std::move(paths), std::move(open), opts);
}

std::unique_ptr<ExampleSource> MakeDatasetSource(const Dataset& data, std::string name) {
  return std::make_unique<DatasetSource>(data, std::move(name));
}

std::unique_ptr<ExampleSource> MakeVectorSource(std::vector<Example> rows, std::string name) {
  return std::make_unique<VectorSource>(std::move(rows), std::move(name));
}

}  // namespace winnow
