#include "core/dataset.h"

namespace winnow {

void Dataset::AddMessages(const std::vector<Message>& ms) {
  for (const Message& m : ms) {
    uint32_t more = 0;
    if (!m.name.empty() || !m.tool_calls.empty() || !m.tool_call_id.empty() || !m.extra.empty()) {
      m_more.push_back(MsgMore{m_arena.Add(m.name), m_arena.Add(m.tool_calls), m_arena.Add(m.tool_call_id),
                               m_arena.Add(m.extra)});
      more = static_cast<uint32_t>(m_more.size());
    }
    m_msgs.push_back(MsgRec{m_arena.Add(m.content), more, m.role});
  }
}

void Dataset::Append(const Example& ex) {
  Row r{};
  r.id = ex.id;
  r.msg_begin = m_msgs.size();
  r.msg_count = static_cast<uint32_t>(ex.messages.size());
  r.chosen_count = static_cast<uint32_t>(ex.chosen.size());
  r.rejected_count = static_cast<uint32_t>(ex.rejected.size());
  AddMessages(ex.messages);
  AddMessages(ex.chosen);
  AddMessages(ex.rejected);
  r.text = m_arena.Add(ex.text);
  r.tools = m_arena.Add(ex.tools);
  r.meta = m_arena.Add(ex.meta);
  r.origin = ex.origin;
  r.input_split = ex.input_split;
  r.label = ex.label;
  r.pref = ex.pref;
  r.source_format = ex.source_format;
  r.has_text = ex.has_text;
  r.shape = ex.shape;
  m_rows.push_back(r);
}

void Dataset::GetMessages(uint64_t begin, uint32_t n, std::vector<Message>* out) const {
  out->resize(n);
  for (uint32_t k = 0; k < n; ++k) {
    const MsgRec& m = m_msgs[begin + k];
    Message& o = (*out)[k];
    o.role = m.role;
    o.content = m_arena.Get(m.content);
    if (m.more) {
      const MsgMore& x = m_more[m.more - 1];
      o.name = m_arena.Get(x.name);
      o.tool_calls = m_arena.Get(x.tool_calls);
      o.tool_call_id = m_arena.Get(x.tool_call_id);
      o.extra = m_arena.Get(x.extra);
    } else {
      o.name.clear();
      o.tool_calls.clear();
      o.tool_call_id.clear();
      o.extra.clear();
    }
  }
}

Example Dataset::Get(size_t i) const {
  const Row& r = m_rows[i];
  Example ex;
  ex.id = r.id;
  GetMessages(r.msg_begin, r.msg_count, &ex.messages);
  GetMessages(r.msg_begin + r.msg_count, r.chosen_count, &ex.chosen);
  GetMessages(r.msg_begin + r.msg_count + r.chosen_count, r.rejected_count, &ex.rejected);
  ex.text = m_arena.Get(r.text);
  ex.tools = m_arena.Get(r.tools);
  ex.meta = m_arena.Get(r.meta);
  ex.origin = r.origin;
  ex.input_split = r.input_split;
  ex.label = r.label;
  ex.pref = r.pref;
  ex.source_format = r.source_format;
  ex.has_text = r.has_text;
  ex.shape = r.shape;
  return ex;
}

size_t Dataset::MemoryBytes() const {
  return m_arena.BytesReserved() + m_msgs.MemoryBytes() + m_more.capacity() * sizeof(MsgMore) + m_rows.MemoryBytes();
}

void Dataset::Clear() {
  m_arena.Clear();
  m_msgs.Clear();
  m_more.clear();
  m_more.shrink_to_fit();
  m_rows.Clear();
}

}  // namespace winnow
