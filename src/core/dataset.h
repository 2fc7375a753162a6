// Dataset: many Examples stored compactly (one string arena, record arrays in blocks that never
// move; no heap object per field), so a browser tab's wasm32 heap holds ~1 GB of JSONL: a message
// costs 20 bytes beside its text (the rare name / tool-call fields live in a side table), a row
// 112. Not thread-safe for writes; const reads from several threads are safe.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/block_vector.h"
#include "core/example.h"
#include "core/string_arena.h"

namespace winnow {

class Dataset {
 public:
  size_t size() const { return m_rows.size(); }
  bool empty() const { return m_rows.empty(); }
  void Append(const Example& ex);
  // Materializes row i as an owning Example.
  Example Get(size_t i) const;
  uint64_t Id(size_t i) const { return m_rows[i].id; }
  const Origin& OriginOf(size_t i) const { return m_rows[i].origin; }
  Format SourceFormat(size_t i) const { return m_rows[i].source_format; }
  size_t MessageCount(size_t i) const { return m_rows[i].msg_count; }
  Role MessageRole(size_t i, size_t m) const { return m_msgs[m_rows[i].msg_begin + m].role; }
  // Content of message m of row i, as a view into the arena (valid while the Dataset lives).
  std::string_view MessageContent(size_t i, size_t m) const {
    return m_arena.Get(m_msgs[m_rows[i].msg_begin + m].content);
  }
  std::string_view Text(size_t i) const { return m_arena.Get(m_rows[i].text); }
  std::string_view Meta(size_t i) const { return m_arena.Get(m_rows[i].meta); }
  // Approximate bytes held (arena + records).
  size_t MemoryBytes() const;
  void Clear();

 private:
  struct MsgRec {
    StrRef content;
    uint32_t more;  // 0: no name / tool_calls / tool_call_id / extra; else 1 + index into m_more
    Role role;
  };
  struct MsgMore {
    StrRef name, tool_calls, tool_call_id, extra;
  };
  struct Row {
    uint64_t id;
    uint64_t msg_begin;  // index into m_msgs: messages, then chosen, then rejected
    uint32_t msg_count, chosen_count, rejected_count;
    StrRef text, tools, meta;
    Origin origin;
    int32_t input_split;
    int8_t label;
    PrefForm pref;
    Format source_format;
    bool has_text;
    uint8_t shape;
  };
  void AddMessages(const std::vector<Message>& ms);
  void GetMessages(uint64_t begin, uint32_t n, std::vector<Message>* out) const;

  StringArena m_arena;
  BlockVector<MsgRec> m_msgs;
  std::vector<MsgMore> m_more;
  BlockVector<Row> m_rows;
};

}  // namespace winnow
