// Record splitting for JSONL, JSON arrays and CSV/TSV. Hand-written because each needs exact
// line numbers and byte offsets per record and must stream (constant memory) and resynchronise
// after a bad record; no library we may use does all three.
//
// [SECTION] ChunkBuffer
// [SECTION] JSONL
// [SECTION] JSON array
// [SECTION] CSV / TSV
#include "io/record_source.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "io/writer.h"

namespace winnow {

// ============================================================================================
// [SECTION] ChunkBuffer
// ============================================================================================

namespace {

constexpr size_t kChunk = 1u << 20;

// A sliding window over the stream. Bytes before `keep_from` may be discarded on Fill().
class ChunkBuffer {
 public:
  ChunkBuffer(FileSource& src, std::string initial) : m_src(src) {
    m_data = std::move(initial);
    m_end = m_data.size();
    m_data.resize(m_end + kRecordPadding, ' ');
  }
  const char* data() const { return m_data.data(); }
  size_t end() const { return m_end; }
  bool eof() const { return m_eof; }
  uint64_t base() const { return m_base; }  // stream offset of data()[0]
  // Reads more input, discarding bytes before keep_from (positions shift by the returned amount).
  // Returns the shift; check end() to see whether bytes arrived.
  Result<size_t> Fill(size_t keep_from) {
    size_t shift = keep_from;
    if (shift > 0) {
      std::memmove(m_data.data(), m_data.data() + shift, m_end - shift);
      m_end -= shift;
      m_base += shift;
    }
    size_t want = std::max(kChunk, m_end);  // grow geometrically for very long records
    if (m_data.size() < m_end + want + kRecordPadding) m_data.resize(m_end + want + kRecordPadding);
    auto got = m_src.Read(m_data.data() + m_end, want);
    if (!got.ok()) return got.error();
    if (got.value() == 0) m_eof = true;
    m_end += got.value();
    std::memset(m_data.data() + m_end, ' ', kRecordPadding);
    return shift;
  }

 private:
  FileSource& m_src;
  std::string m_data;
  size_t m_end = 0;
  uint64_t m_base = 0;
  bool m_eof = false;
};

bool IsWs(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// ============================================================================================
// [SECTION] JSONL
// ============================================================================================

class JsonlSource final : public RecordSource {
 public:
  JsonlSource(FileSource& src, uint32_t file, std::string initial) : m_buf(src, std::move(initial)), m_file(file) {}

  Result<bool> Next(Record* r) override {
    while (true) {
      const char* d = m_buf.data();
      const void* nl = m_pos < m_buf.end() ? std::memchr(d + m_scan, '\n', m_buf.end() - m_scan) : nullptr;
      size_t line_begin = m_pos, line_end;
      bool unterminated = false;
      if (nl) {
        line_end = static_cast<const char*>(nl) - d;
        m_pos = line_end + 1;
        m_scan = m_pos;
      } else if (!m_buf.eof()) {
        m_scan = m_buf.end();
        auto shift = m_buf.Fill(m_pos);
        if (!shift.ok()) return shift.error();
        m_scan -= shift.value();
        m_pos -= shift.value();
        continue;
      } else if (m_pos < m_buf.end()) {
        line_end = m_buf.end();
        m_pos = line_end;
        m_scan = m_pos;
        unterminated = true;
      } else {
        return false;
      }
      ++m_line;
      d = m_buf.data();
      uint64_t offset = m_buf.base() + line_begin;
      if (m_line == 1 && line_end - line_begin >= 3 && std::memcmp(d + line_begin, "\xEF\xBB\xBF", 3) == 0) {
        line_begin += 3;  // UTF-8 byte-order mark
        offset += 3;
      }
      size_t e = line_end;
      if (e > line_begin && d[e - 1] == '\r') --e;
      size_t s = line_begin;
      while (s < e && IsWs(d[s])) ++s;
      if (s == e) {
        ++m_blank;
        continue;
      }
      r->json = std::string_view(d + line_begin, e - line_begin);
      r->raw = r->json;
      r->origin = Origin{m_file, m_line, m_index++, offset};
      r->unterminated = unterminated;
      r->problem_reason.clear();
      r->problem_detail.clear();
      m_bytes = m_buf.base() + m_pos;
      return true;
    }
  }
  uint64_t BytesRead() const override { return m_bytes; }

 private:
  ChunkBuffer m_buf;
  uint32_t m_file;
  size_t m_pos = 0, m_scan = 0;
  uint64_t m_line = 0, m_index = 0, m_blank = 0, m_bytes = 0;
};

// ============================================================================================
// [SECTION] JSON array
// ============================================================================================

class JsonArraySource final : public RecordSource {
 public:
  JsonArraySource(FileSource& src, uint32_t file, std::string initial) : m_buf(src, std::move(initial)), m_file(file) {}

  Result<bool> Next(Record* r) override {
    r->problem_reason.clear();
    r->problem_detail.clear();
    r->unterminated = false;
    while (true) {
      if (m_pos >= m_buf.end()) {
        if (m_buf.eof()) return Finish(r);
        auto st = Refill(m_state == State::InElem ? m_elem_begin : m_pos);
        if (!st.ok()) return st.error();
        continue;
      }
      const char* d = m_buf.data();
      char c = d[m_pos];
      switch (m_state) {
        case State::Start:
          if (m_pos == 0 && m_buf.base() == 0 && m_buf.end() >= 3 && std::memcmp(d, "\xEF\xBB\xBF", 3) == 0) {
            Advance(3);
            continue;
          }
          if (IsWs(c)) { Advance(1); continue; }
          if (c != '[') return Structural(r, "a JSON array file must start with '['");
          Advance(1);
          m_state = State::BeforeElem;
          continue;
        case State::BeforeElem:
          if (IsWs(c)) { Advance(1); continue; }
          if (c == ']') { Advance(1); m_state = State::Done; continue; }
          BeginElem();
          continue;
        case State::InElem: {
          bool complete = ScanElem();
          if (!complete) continue;  // needs more bytes (m_pos at end)
          d = m_buf.data();
          size_t e = m_pos;
          while (e > m_elem_begin && IsWs(d[e - 1])) --e;
          r->json = std::string_view(d + m_elem_begin, e - m_elem_begin);
          r->raw = r->json;
          r->origin = Origin{m_file, m_elem_line, m_index++, m_buf.base() + m_elem_begin};
          r->unterminated = m_pos >= m_buf.end() && m_buf.eof();
          m_state = State::AfterElem;
          m_bytes = m_buf.base() + m_pos;
          return true;
        }
        case State::AfterElem:
          if (IsWs(c)) { Advance(1); continue; }
          if (c == ',') { Advance(1); m_state = State::BeforeElem; continue; }
          if (c == ']') { Advance(1); m_state = State::Done; continue; }
          // Missing comma or garbage: treat what follows as the next (probably bad) element so
          // the rest of the file is still read.
          BeginElem();
          continue;
        case State::Done:
          if (IsWs(c)) { Advance(1); continue; }
          // Content after the closing bracket: report it once as a rejected record.
          {
            size_t b = m_pos;
            uint64_t line = m_line;
            size_t e = b;
            while (e < m_buf.end()) ++e;
            r->json = std::string_view(d + b, e - b);
            r->raw = r->json;
            r->origin = Origin{m_file, line, m_index++, m_buf.base() + b};
            r->problem_reason = "parse_error";
            r->problem_detail = "unexpected content after the closing ']' of the JSON array";
            Advance(e - b);
            m_state = State::Trailing;
            return true;
          }
        case State::Trailing:
          Advance(m_buf.end() - m_pos);
          continue;
      }
    }
  }
  uint64_t BytesRead() const override { return m_bytes; }

 private:
  enum class State { Start, BeforeElem, InElem, AfterElem, Done, Trailing };

  void Advance(size_t n) {
    const char* d = m_buf.data();
    for (size_t i = 0; i < n; ++i) {
      if (d[m_pos + i] == '\n') ++m_line;
    }
    m_pos += n;
  }
  void BeginElem() {
    m_state = State::InElem;
    m_elem_begin = m_pos;
    m_elem_line = m_line;
    m_depth = 0;
    m_in_string = false;
    m_escape = false;
    m_started = false;
  }
  // Scans from m_pos; returns true when the element ended (m_pos at the ',' / ']' after it or at
  // end of input), false when more bytes are needed.
  bool ScanElem() {
    const char* d = m_buf.data();
    size_t end = m_buf.end();
    while (m_pos < end) {
      char c = d[m_pos];
      if (m_in_string) {
        if (m_escape) m_escape = false;
        else if (c == '\\') m_escape = true;
        else if (c == '"') m_in_string = false;
        else if (c == '\n') ++m_line;
        ++m_pos;
        continue;
      }
      if (c == '"') { m_in_string = true; m_started = true; ++m_pos; continue; }
      if (c == '{' || c == '[') { ++m_depth; m_started = true; ++m_pos; continue; }
      if (c == '}' || c == ']') {
        if (m_depth == 0) {
          // A stray '}' where an element should start belongs to this (bad) element, so the
          // scan always moves forward; otherwise it is the array's own ']'.
          if (m_pos == m_elem_begin && c == '}') {
            ++m_pos;
            continue;
          }
          return true;
        }
        --m_depth;
        ++m_pos;
        continue;
      }
      if (c == ',' && m_depth == 0) return true;
      if (c == '\n') ++m_line;
      m_started = true;
      ++m_pos;
    }
    return m_buf.eof();
  }
  Result<bool> Refill(size_t keep_from) {
    auto shift = m_buf.Fill(keep_from);
    if (!shift.ok()) return shift.error();
    m_pos -= shift.value();
    m_elem_begin -= std::min(m_elem_begin, shift.value());
    return true;
  }
  Result<bool> Finish(Record* r) {
    if (m_state == State::InElem && m_pos > m_elem_begin) {
      // The file ended inside an element: a truncated last element.
      const char* d = m_buf.data();
      r->json = std::string_view(d + m_elem_begin, m_pos - m_elem_begin);
      r->raw = r->json;
      r->origin = Origin{m_file, m_elem_line, m_index++, m_buf.base() + m_elem_begin};
      r->unterminated = true;
      m_state = State::Done;
      m_missing_bracket_reported = true;
      return true;
    }
    if ((m_state == State::BeforeElem || m_state == State::AfterElem) && !m_missing_bracket_reported) {
      m_missing_bracket_reported = true;
      if (m_index > 0 || m_state == State::AfterElem) {
        // Every element was read; only the closing bracket is missing. Not a row: nothing to reject.
        return false;
      }
    }
    if (m_state == State::Start && m_buf.base() + m_pos > 0 && !m_missing_bracket_reported) {
      m_missing_bracket_reported = true;
    }
    return false;
  }
  Result<bool> Structural(Record* r, const char* why) {
    const char* d = m_buf.data();
    size_t b = m_pos;
    size_t e = b;
    while (e < m_buf.end() && d[e] != '\n') ++e;
    r->json = std::string_view(d + b, e - b);
    r->raw = r->json;
    r->origin = Origin{m_file, m_line, m_index++, m_buf.base() + b};
    r->problem_reason = "parse_error";
    r->problem_detail = why;
    Advance(m_buf.end() - m_pos);
    m_state = State::Trailing;
    return true;
  }

  ChunkBuffer m_buf;
  uint32_t m_file;
  State m_state = State::Start;
  size_t m_pos = 0, m_elem_begin = 0;
  uint64_t m_line = 1, m_elem_line = 1, m_index = 0, m_bytes = 0;
  int m_depth = 0;
  bool m_in_string = false, m_escape = false, m_started = false, m_missing_bracket_reported = false;
};

// ============================================================================================
// [SECTION] CSV / TSV
// ============================================================================================

class CsvSource final : public RecordSource {
 public:
  CsvSource(FileSource& src, uint32_t file, std::string initial, char sep)
      : m_buf(src, std::move(initial)), m_file(file), m_sep(sep) {}

  Result<bool> Next(Record* r) override {
    while (true) {
      auto got = ReadRecord();
      if (!got.ok()) return got.error();
      if (!got.value()) return false;
      const char* d = m_buf.data();
      if (!m_have_header) {
        m_header = m_fields;
        if (!m_header.empty() && m_header[0].rfind("\xEF\xBB\xBF", 0) == 0) m_header[0].erase(0, 3);
        m_have_header = true;
        continue;
      }
      r->raw = std::string_view(d + m_rec_begin, m_rec_end - m_rec_begin);
      r->origin = Origin{m_file, m_rec_line, m_index++, m_buf.base() + m_rec_begin};
      r->unterminated = false;
      r->problem_reason.clear();
      r->problem_detail.clear();
      m_json.clear();
      if (!m_error.empty()) {
        r->problem_reason = "csv_error";
        r->problem_detail = m_error;
      } else if (m_fields.size() != m_header.size()) {
        r->problem_reason = "csv_error";
        r->problem_detail = "record has " + std::to_string(m_fields.size()) + " fields, the header has " +
                            std::to_string(m_header.size());
      } else {
        // CSV has only text: an empty cell is read as an absent field, and a cell holding a JSON
        // list or object (as the CSV writer writes history, messages or tools) as that value.
        m_json.push_back('{');
        bool first = true;
        for (size_t i = 0; i < m_fields.size(); ++i) {
          const std::string& cell = m_fields[i];
          if (cell.empty()) continue;
          if (!first) m_json.push_back(',');
          first = false;
          AppendJsonString(m_header[i], &m_json);
          m_json.push_back(':');
          if ((cell[0] == '[' || cell[0] == '{') && nlohmann::json::accept(cell)) {
            m_json.append(cell);
          } else {
            AppendJsonString(cell, &m_json);
          }
        }
        m_json.push_back('}');
      }
      size_t n = m_json.size();
      m_json.append(kRecordPadding, ' ');
      r->json = std::string_view(m_json.data(), n);
      m_bytes = m_buf.base() + m_pos;
      return true;
    }
  }
  uint64_t BytesRead() const override { return m_bytes; }

 private:
  // Parses one record starting at m_pos into m_fields; false at end of input.
  Result<bool> ReadRecord() {
    m_fields.clear();
    m_error.clear();
    // Skip blank lines between records.
    while (true) {
      if (m_pos >= m_buf.end()) {
        if (m_buf.eof()) return false;
        auto st = Refill(m_pos);
        if (!st.ok()) return st.error();
        continue;
      }
      char c = m_buf.data()[m_pos];
      if (c == '\n') { ++m_pos; ++m_line; continue; }
      if (c == '\r') { ++m_pos; continue; }
      break;
    }
    m_rec_begin = m_pos;
    m_rec_line = m_line;
    std::string field;
    bool quoted = false, in_quotes = false, after_quote = false;
    uint64_t quote_line = 0;
    while (true) {
      if (m_pos >= m_buf.end()) {
        if (!m_buf.eof()) {
          auto st = Refill(m_rec_begin);
          if (!st.ok()) return st.error();
          continue;
        }
        if (in_quotes) {
          m_error = "unterminated quoted field (opened on line " + std::to_string(quote_line) + ")";
        }
        m_fields.push_back(std::move(field));
        m_rec_end = m_pos;
        return true;
      }
      char c = m_buf.data()[m_pos];
      if (in_quotes) {
        if (c == '"') {
          if (m_pos + 1 >= m_buf.end() && !m_buf.eof()) {
            // Need the next byte to tell an escaped "" from the closing quote.
            auto st = Refill(m_rec_begin);
            if (!st.ok()) return st.error();
            continue;
          }
          if (m_pos + 1 < m_buf.end() && m_buf.data()[m_pos + 1] == '"') {
            field.push_back('"');
            m_pos += 2;
          } else {
            in_quotes = false;
            after_quote = true;
            ++m_pos;
          }
        } else {
          if (c == '\n') ++m_line;
          field.push_back(c);
          ++m_pos;
        }
        continue;
      }
      if (c == m_sep) {
        m_fields.push_back(std::move(field));
        field.clear();
        quoted = after_quote = false;
        ++m_pos;
        continue;
      }
      if (c == '\n' || c == '\r') {
        m_rec_end = m_pos;
        if (c == '\r') {
          ++m_pos;
          if (m_pos >= m_buf.end() && !m_buf.eof()) {
            auto st = Refill(m_rec_begin);
            if (!st.ok()) return st.error();
          }
          if (m_pos < m_buf.end() && m_buf.data()[m_pos] == '\n') ++m_pos;
        } else {
          ++m_pos;
        }
        ++m_line;
        m_fields.push_back(std::move(field));
        return true;
      }
      if (c == '"' && field.empty() && !quoted) {
        quoted = in_quotes = true;
        quote_line = m_line;
        ++m_pos;
        continue;
      }
      if (after_quote && m_error.empty()) {
        m_error = "unexpected character after a closing quote on line " + std::to_string(m_line);
      }
      field.push_back(c);
      ++m_pos;
    }
  }
  Result<bool> Refill(size_t keep_from) {
    auto shift = m_buf.Fill(keep_from);
    if (!shift.ok()) return shift.error();
    m_pos -= shift.value();
    m_rec_begin -= std::min(m_rec_begin, shift.value());
    return true;
  }

  ChunkBuffer m_buf;
  uint32_t m_file;
  char m_sep;
  size_t m_pos = 0, m_rec_begin = 0, m_rec_end = 0;
  uint64_t m_line = 1, m_rec_line = 1, m_index = 0, m_bytes = 0;
  bool m_have_header = false;
  std::vector<std::string> m_header, m_fields;
  std::string m_error, m_json;
};

}  // namespace

std::unique_ptr<RecordSource> MakeRecordSource(FileSource& src, FileKind kind, uint32_t file_index,
                                               std::string initial_bytes) {
  switch (kind) {
    case FileKind::JsonArray: return std::make_unique<JsonArraySource>(src, file_index, std::move(initial_bytes));
    case FileKind::Csv: return std::make_unique<CsvSource>(src, file_index, std::move(initial_bytes), ',');
    case FileKind::Tsv: return std::make_unique<CsvSource>(src, file_index, std::move(initial_bytes), '\t');
    case FileKind::Auto:
    case FileKind::Jsonl: break;
  }
  return std::make_unique<JsonlSource>(src, file_index, std::move(initial_bytes));
}

Result<std::string> ReadPrefix(FileSource& src, size_t n) {
  std::string out(n, '\0');
  size_t got = 0;
  while (got < n) {
    auto k = src.Read(out.data() + got, n - got);
    if (!k.ok()) return k.error();
    if (k.value() == 0) break;
    got += k.value();
  }
  out.resize(got);
  return out;
}

}  // namespace winnow
