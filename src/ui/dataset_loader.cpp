#include "ui/dataset_loader.h"

#include <cstdio>

namespace winnow::ui {

void DatasetLoader::Reset() {
  m_state = State::Idle;
  m_reader.reset();
  m_src.reset();
  m_chunked = nullptr;
  m_error.clear();
  m_dataset.Clear();
  m_problems.clear();
  m_problems.shrink_to_fit();
  m_problem_pos.clear();
  m_format = Format::Unknown;
  m_kind = FileKind::Auto;
  m_started = -1;
  m_seconds = 0;
  m_final_bytes = 0;
}

void DatasetLoader::Start(std::unique_ptr<FileSource> src, ReadOptions opts, ChunkQueueSource* chunked,
                          uint64_t max_memory) {
  Reset();
  m_name = src->Name();
  m_src = std::move(src);
  m_chunked = chunked;
  m_opts = opts;
  m_max_memory = max_memory;
  m_state = State::Waiting;
}

void DatasetLoader::Cancel() {
  if (!Active()) return;
  m_reader.reset();
  m_src.reset();
  m_chunked = nullptr;
  m_state = State::Cancelled;
}

void DatasetLoader::Fail(std::string message) {
  m_error = std::move(message);
  m_reader.reset();
  m_src.reset();
  m_chunked = nullptr;
  m_state = State::Failed;
}

uint64_t DatasetLoader::BytesRead() const { return m_reader ? m_reader->BytesRead() : m_final_bytes; }
uint64_t DatasetLoader::SizeHint() const { return m_src ? m_src->SizeHint() : 0; }

double DatasetLoader::Fraction() const {
  if (m_state == State::Done) return 1.0;
  if (!m_src || m_src->SizeHint() == 0) return -1.0;
  double f = static_cast<double>(m_src->Consumed()) / static_cast<double>(m_src->SizeHint());
  return f > 1.0 ? 1.0 : f;
}

bool DatasetLoader::Pump(double budget_s, const std::function<double()>& now) {
  if (!Active()) return false;
  double t0 = now();
  if (m_started < 0) m_started = t0;
  auto readable = [&] { return !m_chunked || m_chunked->Readable(kMinReadable); };
  if (m_state == State::Waiting) {
    if (!readable()) return true;
    auto r = ExampleReader::Open(*m_src, m_opts);
    if (!r.ok()) {
      Fail(r.error().message);
      return false;
    }
    m_reader = std::move(r.value());
    m_format = m_reader->format();
    m_kind = m_reader->kind();
    m_state = State::Reading;
  }
  Example ex;
  RowProblem problem;
  int n = 0;
  while (true) {
    // Check the clock and the memory cap every few rows, not every row.
    if ((++n & 63) == 0) {
      if (now() - t0 >= budget_s) return true;
      if (m_max_memory && m_dataset.MemoryBytes() > m_max_memory) {
        uint64_t got = m_dataset.MemoryBytes();
        Fail("This file is too large for a browser tab: after " + GroupedCount(m_dataset.size()) + " rows the data "
             "already holds " + HumanBytes(got) + " (the tab's limit is about " + HumanBytes(m_max_memory) +
             "). Use the desktop studio or the winnow CLI, which stream files of any size.");
        m_dataset.Clear();
        return false;
      }
    }
    if (!readable()) return true;
    auto next = m_reader->Read(&ex, &problem);
    if (!next.ok()) {
      Fail(next.error().message);
      return false;
    }
    if (next.value() == ExampleReader::Next::End) break;
    if (next.value() == ExampleReader::Next::Row) {
      m_dataset.Append(ex);
    } else {
      m_problem_pos.push_back(m_dataset.size());
      m_problems.push_back(std::move(problem));
      problem = RowProblem{};
    }
  }
  m_final_bytes = m_reader->BytesRead();
  m_reader.reset();
  m_seconds = now() - m_started;
  m_state = State::Done;
  return false;
}

std::string HumanBytes(uint64_t n) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  uint64_t scale = 1;
  while (n / scale >= 1000 && u < 4) {
    scale *= 1000;
    ++u;
  }
  char buf[48];
  if (u == 0) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
  } else {
    // one decimal, computed in integers so the text never depends on float formatting
    uint64_t tenths = (n * 10 + scale / 2) / scale;
    std::snprintf(buf, sizeof buf, "%llu.%llu %s", static_cast<unsigned long long>(tenths / 10),
                  static_cast<unsigned long long>(tenths % 10), units[u]);
  }
  return buf;
}

std::string GroupedCount(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  int lead = static_cast<int>(digits.size() % 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (static_cast<int>(i) - lead) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string CountOf(uint64_t n, const char* one, const char* many) {
  return GroupedCount(n) + " " + (n == 1 ? one : many);
}

}  // namespace winnow::ui
