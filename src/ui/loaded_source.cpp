#include "ui/loaded_source.h"

namespace winnow::ui {

namespace {

class LoadedSource final : public ExampleSource {
 public:
  explicit LoadedSource(const DatasetLoader& l) : m_l(l) {
    // Display name as the CLI shows it: the base name of the path.
    m_names.push_back(BaseName(l.name()));
    InputInfo info;
    info.name = m_names.back();
    info.format = l.format();
    info.kind = l.kind();
    m_inputs.push_back(info);
  }
  Result<ExampleReader::Next> Read(Example* ex, RowProblem* problem) override {
    const auto& pos = m_l.ProblemPositions();
    if (m_next_problem < pos.size() && pos[m_next_problem] == m_next_row) {
      *problem = m_l.problems()[m_next_problem++];
      ++m_inputs[0].problems;
      return ExampleReader::Next::Problem;
    }
    if (m_next_row >= m_l.dataset().size()) return ExampleReader::Next::End;
    *ex = m_l.dataset().Get(m_next_row++);
    ++m_inputs[0].rows;
    return ExampleReader::Next::Row;
  }
  const std::vector<std::string>& Names() const override { return m_names; }
  const std::vector<InputInfo>& Inputs() const override { return m_inputs; }
  uint64_t Done() const override { return m_next_row + m_next_problem; }
  uint64_t Total() const override { return m_l.dataset().size() + m_l.problems().size(); }
  const char* Unit() const override { return "rows"; }

 private:
  const DatasetLoader& m_l;
  uint64_t m_next_row = 0;
  size_t m_next_problem = 0;
  std::vector<std::string> m_names;
  std::vector<InputInfo> m_inputs;
};

}  // namespace

std::unique_ptr<ExampleSource> MakeLoadedSource(const DatasetLoader& loaded) {
  return std::make_unique<LoadedSource>(loaded);
}

}  // namespace winnow::ui
