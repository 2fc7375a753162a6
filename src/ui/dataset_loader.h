// DatasetLoader: reads a FileSource into a Dataset a slice at a time (a frame's budget), so a
// 1 GB file loads with a progress bar and the UI keeps drawing. Rows that cannot be read are kept
// as RowProblems (they become rejected rows with step "read" when the pipeline runs).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/dataset.h"
#include "io/reader.h"
#include "ui/chunk_source.h"

namespace winnow::ui {

class DatasetLoader {
 public:
  enum class State { Idle, Waiting, Reading, Done, Failed, Cancelled };

  // Bytes that must be buffered in a chunked source before the reader runs (larger than any row
  // the reader needs whole; an empty queue must never look like the end of the file).
  static constexpr size_t kMinReadable = 16u << 20;

  // Starts loading. When `chunked` is set it is the same object as `src`, fed asynchronously;
  // the loader then only reads while it is Readable(). max_memory: a Dataset larger than this stops
  // the load with a "too large" message (0 = no limit).
  void Start(std::unique_ptr<FileSource> src, ReadOptions opts, ChunkQueueSource* chunked, uint64_t max_memory = 0);
  // Works until about `budget_s` seconds have passed on `now`; returns true while work remains.
  bool Pump(double budget_s, const std::function<double()>& now);
  void Cancel();

  State state() const { return m_state; }
  bool Active() const { return m_state == State::Waiting || m_state == State::Reading; }
  // The chunked source being read, or nullptr once the load ended (the source is then destroyed).
  const ChunkQueueSource* Chunked() const { return Active() ? m_chunked : nullptr; }
  const std::string& error() const { return m_error; }
  const std::string& name() const { return m_name; }
  Dataset& dataset() { return m_dataset; }
  const Dataset& dataset() const { return m_dataset; }
  const std::vector<RowProblem>& problems() const { return m_problems; }
  // For problem k, how many dataset rows were read before it: replaying rows and problems in
  // this order reproduces the file's order exactly (what the CLI's reader would yield).
  const std::vector<uint64_t>& ProblemPositions() const { return m_problem_pos; }
  Format format() const { return m_format; }
  FileKind kind() const { return m_kind; }
  uint64_t BytesRead() const;        // decompressed bytes parsed so far
  uint64_t SizeHint() const;         // 0 when unknown
  double Fraction() const;           // 0..1, or -1 when unknown
  uint64_t TotalRows() const { return m_dataset.size() + m_problems.size(); }
  // Seconds spent from Start() until Done.
  double Seconds() const { return m_seconds; }
  // Clock value of the first Pump() (for elapsed time and ETA), or -1.
  double StartedAt() const { return m_started; }
  void Reset();

 private:
  void Fail(std::string message);

  State m_state = State::Idle;
  std::unique_ptr<FileSource> m_src;
  ChunkQueueSource* m_chunked = nullptr;
  std::unique_ptr<ExampleReader> m_reader;
  ReadOptions m_opts;
  uint64_t m_max_memory = 0;
  std::string m_name, m_error;
  Dataset m_dataset;
  std::vector<RowProblem> m_problems;
  std::vector<uint64_t> m_problem_pos;
  Format m_format = Format::Unknown;
  FileKind m_kind = FileKind::Auto;
  double m_started = -1, m_seconds = 0;
  uint64_t m_final_bytes = 0;
};

// "1.2 GB", "340 KB", "12 B" (decimal units, fixed formatting independent of locale).
std::string HumanBytes(uint64_t n);
// "1,234,567"
std::string GroupedCount(uint64_t n);
// "1 match", "0 matches", "1,234 matches": the grouped count and the noun that agrees with it.
std::string CountOf(uint64_t n, const char* one, const char* many);

}  // namespace winnow::ui
