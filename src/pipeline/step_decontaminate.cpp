// decontaminate: drops (or flags) rows that share a word n-gram (default 13) with a reference
// set — a benchmark's test split — after normalization. References are JSONL / JSON files read
// through StepContext::read_file in Prepare(); every string value of a reference row (or only those
// under the fields named in "fields") is indexed; the row's id is the row's "id" / "question_id" / "task_id"
// when present.
#include <algorithm>
#include <map>

#include "dedup/ngram_index.h"
#include "dedup/text_normalize.h"
#include "pipeline/example_source.h"
#include "pipeline/example_view.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step.h"
#include "pipeline/step_util.h"

namespace winnow {

namespace {

// Every string value of a reference row (only under the top-level keys in `fields` when given),
// each indexed on its own so that short fields such as a category never join a question's n-grams.
void CollectStrings(const nlohmann::json& j, const std::vector<std::string>& fields, bool top,
                    std::vector<std::string>* out) {
  if (j.is_string()) {
    out->push_back(j.get<std::string>());
  } else if (j.is_array()) {
    for (const auto& e : j) CollectStrings(e, fields, false, out);
  } else if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (top && !fields.empty() && std::find(fields.begin(), fields.end(), it.key()) == fields.end()) continue;
      CollectStrings(it.value(), fields, false, out);
    }
  }
}

int64_t WordCount(std::string_view s) {
  int64_t n = 0;
  bool in = false;
  for (char c : s) {
    bool sp = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!sp && !in) ++n;
    in = !sp;
  }
  return n;
}

class DecontaminateStep final : public Step {
 public:
  DecontaminateStep() { m_norm.punctuation = true; }
  std::string_view Type() const override { return "decontaminate"; }
  Status Configure(const nlohmann::json& p) override {
    Status st = CheckParamKeys(Type(), p, {"references", "ngram", "view", "fields", "min_matches", "min_ref_words", "action", "normalize"});
    if (!st.ok()) return st;
    if (!(st = GetParam(Type(), p, "references", &m_refs)).ok()) return st;
    if (m_refs.empty()) {
      return Error{"bad_config", "decontaminate: \"references\" must name at least one reference file (JSONL or JSON), "
                                "e.g. [\"../shared/data/gsm8k/test.jsonl\"]"};
    }
    if (!(st = GetParam(Type(), p, "ngram", &m_ngram, 1, 64)).ok()) return st;
    std::string view = std::string(TextViewName(m_view));
    if (!(st = GetParam(Type(), p, "view", &view, TextViewNames())).ok()) return st;
    ParseTextView(view, &m_view);
    if (!(st = GetParam(Type(), p, "fields", &m_fields)).ok()) return st;
    if (!(st = GetParam(Type(), p, "min_matches", &m_min_matches, 1, 1000000)).ok()) return st;
    if (!(st = GetParam(Type(), p, "min_ref_words", &m_min_ref_words, 1, 64)).ok()) return st;
    if (!(st = GetParam(Type(), p, "action", &m_action, {"drop", "flag"})).ok()) return st;
    return ParseNormalizeParam(Type(), p, "normalize", &m_norm);
  }
  nlohmann::json Params() const override {
    return nlohmann::json{{"references", m_refs}, {"ngram", m_ngram}, {"view", TextViewName(m_view)}, {"fields", m_fields},
                          {"min_matches", m_min_matches}, {"min_ref_words", m_min_ref_words}, {"action", m_action}, {"normalize", NormalizeParamJson(m_norm)}};
  }
  Status Prepare(StepContext& ctx) override {
    if (!ctx.read_file) {
      return Error{"unsupported", "decontaminate: this front end cannot read reference files"};
    }
    m_index = NgramIndex(static_cast<int>(m_ngram));
    m_labels.clear();
    std::string norm;
    for (const std::string& path : m_refs) {
      auto text = ctx.read_file(path);
      if (!text.ok()) return Error{text.error().code, "decontaminate: cannot read reference " + path + ": " + text.error().message};
      std::string name = BaseName(path);
      uint64_t count = 0;
      auto add = [&](const nlohmann::json& row, uint64_t line) {
        std::vector<std::string> texts;
        CollectStrings(row, m_fields, true, &texts);
        std::string label = name + ":" + std::to_string(line);
        if (row.is_object()) {
          for (const char* k : {"id", "question_id", "task_id"}) {
            if (row.contains(k) && (row[k].is_string() || row[k].is_number())) {
              label += " (" + std::string(k) + " " + (row[k].is_string() ? row[k].get<std::string>() : row[k].dump()) + ")";
              break;
            }
          }
        }
        for (const std::string& t : texts) {
          NormalizeText(t, m_norm, &norm);
          if (WordCount(norm) < m_min_ref_words) continue;
          m_index.Add(norm, static_cast<uint32_t>(m_labels.size()));
        }
        m_labels.push_back(label);
        ++count;
      };
      const std::string& t = text.value();
      size_t first = t.find_first_not_of(" \t\r\n");
      if (first != std::string::npos && t[first] == '[') {
        nlohmann::json arr = nlohmann::json::parse(t, nullptr, false);
        if (arr.is_discarded() || !arr.is_array()) return Error{"bad_input", "decontaminate: " + path + " is not a JSON array"};
        for (size_t i = 0; i < arr.size(); ++i) add(arr[i], i + 1);
      } else {
        size_t pos = 0;
        uint64_t line = 0;
        while (pos < t.size()) {
          size_t nl = t.find('\n', pos);
          if (nl == std::string::npos) nl = t.size();
          ++line;
          std::string_view l(t.data() + pos, nl - pos);
          pos = nl + 1;
          if (l.find_first_not_of(" \t\r") == std::string_view::npos) continue;
          nlohmann::json row = nlohmann::json::parse(l.begin(), l.end(), nullptr, false);
          if (row.is_discarded()) return Error{"bad_input", "decontaminate: " + path + " line " + std::to_string(line) + " is not JSON"};
          add(row, line);
        }
      }
      m_ref_rows[name] = count;
    }
    return Status::Ok();
  }
  void Process(std::span<Row*> rows, StepContext& ctx) override {
    for (Row* r : rows) {
      ViewText(r->ex, m_view, &m_text);
      NormalizeText(m_text, m_norm, &m_norm_text);
      NgramIndex::Hit hit = m_index.Query(m_norm_text);
      if (!hit.found || hit.matches < static_cast<uint64_t>(m_min_matches)) continue;
      ++m_contaminated;
      const std::string& label = m_labels[hit.ref];
      ++m_by_ref[label.substr(0, label.find(':'))];
      std::string detail = std::to_string(m_ngram) + "-gram overlap with " + label + ": " + std::to_string(hit.matches) +
                           " of " + std::to_string(hit.total) + " n-grams";
      if (m_samples.size() < 10) {
        m_samples.push_back(nlohmann::json{{"row", RowRef(r->ex.origin, ctx)}, {"reference", label}, {"matches", hit.matches}});
      }
      if (m_action == "drop") {
        r->verdict = Verdict{VerdictKind::Drop, "", "contaminated", detail};
      } else {
        r->flags.push_back(Verdict{VerdictKind::Flag, "", "contaminated", detail});
      }
    }
  }
  nlohmann::json Report() const override {
    return nlohmann::json{{"ngram", m_ngram}, {"view", TextViewName(m_view)}, {"action", m_action}, {"references", m_ref_rows},
                          {"indexed_ngrams", m_index.size()}, {"contaminated", m_contaminated},
                          {"by_reference", m_by_ref}, {"samples", m_samples}};
  }

 private:
  std::vector<std::string> m_refs, m_fields, m_labels;
  int64_t m_ngram = 13, m_min_matches = 1;
  // Reference strings with fewer words are not indexed: metadata such as {"category": "math"}
  // would otherwise match every example containing the word.
  int64_t m_min_ref_words = 8;
  TextView m_view = TextView::Example;
  std::string m_action = "drop";
  NormalizeOptions m_norm;
  NgramIndex m_index{13};
  std::map<std::string, uint64_t> m_ref_rows, m_by_ref;
  uint64_t m_contaminated = 0;
  nlohmann::json m_samples = nlohmann::json::array();
  std::string m_text, m_norm_text;
};

}  // namespace

WINNOW_REGISTER_STEP(DecontaminateStep, "decontaminate", "Remove rows sharing word n-grams (default 13) with benchmark reference files");

}  // namespace winnow
