// filter.toxicity: scores a field (or each turn of chosen roles) with the shipped toxicity model
// (src/filters/toxicity_scorer.h; assets/models/toxicity, trained by scripts/train_toxicity.py) or a
// model of the same kind, with a threshold per class, and counts bad-word hits from the naughty-words
// lists (src/filters/bad_words.h) as a second signal. Drops or flags; annotates per-class scores.
// Asynchronous in the page (Busy until the batch is scored); synchronous natively.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>

#include "filters/bad_words.h"
#include "filters/toxicity_scorer.h"
#include "pipeline/example_view.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step.h"
#include "pipeline/step_util.h"

namespace winnow {
namespace {

constexpr size_t kSamplesPerReason = 5;
constexpr size_t kExcerptBytes = 200;

std::string Fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

// The first `max` bytes of s, cut back to a code point boundary.
std::string Excerpt(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n) + "...";
}

class FilterToxicityStep final : public Step {
 public:
  std::string_view Type() const override { return "filter.toxicity"; }

  Status Configure(const nlohmann::json& p) override {
    Status st = CheckParamKeys(Type(), p, {"model", "featurizer", "field", "roles", "thresholds", "action",
                                           "bad_words", "batch_size"});
    if (!st.ok()) return st;
    if (!(st = GetParam(Type(), p, "model", &m_config.model)).ok()) return st;
    if (!(st = GetParam(Type(), p, "featurizer", &m_config.featurizer)).ok()) return st;
    m_use_model = m_config.model != "none";
    std::vector<std::string_view> fields = TextViewNames();
    fields.push_back("each_turn");
    if (!(st = GetParam(Type(), p, "field", &m_field, fields)).ok()) return st;
    if (!(st = GetParam(Type(), p, "roles", &m_roles)).ok()) return st;
    for (const auto& r : m_roles) {
      Role role;
      if (!ParseRole(r, &role)) {
        return Error{"bad_config", "filter.toxicity: \"roles\" has unknown role \"" + r +
                                       "\" (allowed: system, user, assistant, tool)"};
      }
    }
    if (p.is_object() && p.contains("thresholds")) {
      const auto& t = p["thresholds"];
      if (!t.is_object()) {
        return Error{"bad_config", "filter.toxicity: \"thresholds\" must be an object of label -> number in [0, 1] or null"};
      }
      m_thresholds.clear();
      for (auto it = t.begin(); it != t.end(); ++it) {
        if (it->is_null()) continue;  // class off
        if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1) {
          return Error{"bad_config", "filter.toxicity: thresholds[\"" + it.key() + "\"] must be a number in [0, 1] or null"};
        }
        m_thresholds[it.key()] = it->get<double>();
      }
    }
    if (!(st = GetParam(Type(), p, "action", &m_action, {"drop", "flag"})).ok()) return st;
    int64_t batch = static_cast<int64_t>(m_config.batch_size);
    if (!(st = GetParam(Type(), p, "batch_size", &batch, 1, 65536)).ok()) return st;
    m_config.batch_size = static_cast<size_t>(batch);
    if (p.is_object() && p.contains("bad_words")) {
      const auto& b = p["bad_words"];
      if (b.is_boolean()) {
        m_use_bad_words = b.get<bool>();
      } else if (b.is_object()) {
        if (!(st = CheckParamKeys("filter.toxicity bad_words", b, {"languages", "max_hits"})).ok()) return st;
        m_use_bad_words = true;
        if (!(st = GetParam(Type(), b, "languages", &m_languages)).ok()) return st;
        if (b.contains("max_hits") && !b["max_hits"].is_null()) {
          if (!(st = GetParam(Type(), b, "max_hits", &m_max_hits, 0, 1000000)).ok()) return st;
        } else {
          m_max_hits = -1;
        }
      } else {
        return Error{"bad_config", "filter.toxicity: \"bad_words\" must be false or {\"languages\": [...], \"max_hits\": n|null}"};
      }
    }
    if (!m_use_model && !m_use_bad_words) {
      return Error{"bad_config", "filter.toxicity: with \"model\": \"none\" the bad-word lists must be on"};
    }
    if (m_use_bad_words) {
      auto m = BadWordsMatcher::FromLanguages(m_languages);
      if (!m.ok()) return Error{"bad_config", "filter.toxicity: " + m.error().message};
      m_matcher = std::make_unique<BadWordsMatcher>(std::move(m.value()));
    }
    return Status::Ok();
  }

  nlohmann::json Params() const override {
    nlohmann::json j = nlohmann::json::object();
    j["model"] = m_config.model;
    j["featurizer"] = m_config.featurizer;
    j["field"] = m_field;
    j["roles"] = m_roles;
    nlohmann::json t = nlohmann::json::object();
    for (const auto& [k, v] : m_thresholds) t[k] = v;
    j["thresholds"] = t;
    j["action"] = m_action;
    if (m_use_bad_words) {
      j["bad_words"] = {{"languages", m_languages},
                        {"max_hits", m_max_hits < 0 ? nlohmann::json(nullptr) : nlohmann::json(m_max_hits)}};
    } else {
      j["bad_words"] = false;
    }
    j["batch_size"] = m_config.batch_size;
    return j;
  }

  Status Prepare(StepContext& ctx) override {
    if (!m_use_model) return Status::Ok();
    m_scorer = std::make_unique<ToxicityScorer>();
    Status st = m_scorer->Start(m_config, ctx.models, ctx.read_file);
    if (!st.ok()) {
      Error e = st.error();
      e.message = "filter.toxicity: " + e.message + " (set \"model\": \"none\" to use only the bad-word lists)";
      return e;
    }
    return Status::Ok();
  }

  bool Busy() const override { return m_scorer && m_scorer->Busy(); }

  void Process(std::span<Row*> rows, StepContext& ctx) override {
    auto job = std::make_shared<Job>();
    job->rows.assign(rows.begin(), rows.end());
    for (size_t i = 0; i < rows.size(); ++i) CollectUnits(rows[i]->ex, static_cast<uint32_t>(i), job.get());
    const std::string step_id = ctx.step_id.empty() ? std::string(Type()) : ctx.step_id;
    // What FinishJob needs of the context, copied: in the page it runs on a later frame.
    auto where = std::make_shared<StepContext>();
    where->step_id = step_id;
    where->input_names = ctx.input_names;
    if (!m_scorer || job->texts.empty()) {
      FinishJob(*job, {}, step_id, *where);
      return;
    }
    std::vector<std::string> texts = job->texts;
    // The callback runs before Busy() turns false, while the runner still holds the rows.
    m_scorer->Submit(std::move(texts), [this, job, step_id, where](std::vector<float> scores) {
      FinishJob(*job, scores, step_id, *where);
    });
  }

  nlohmann::json Report() const override {
    nlohmann::json r = nlohmann::json::object();
    r["field"] = m_field;
    r["rows_seen"] = m_rows_seen;
    r["texts"] = m_texts;
    r["action"] = m_action;
    if (m_use_model) {
      r["rows_scored"] = m_rows_scored;
      r["rows_unscored"] = m_rows_unscored;
      if (m_scorer) {
        r["runtime"] = m_scorer->runtime();
        if (!m_scorer->error().empty()) r["error"] = m_scorer->error();
      }
      if (!m_unknown_threshold.empty()) {
        r["warning"] = "threshold for \"" + m_unknown_threshold + "\", which is not a label of this model";
      }
      nlohmann::json classes = nlohmann::json::object();
      for (const auto& [label, c] : m_classes) {
        nlohmann::json bins = nlohmann::json::array();
        for (uint64_t b : c.hist) bins.push_back(b);
        nlohmann::json e{{"rows_top_class", c.top},
                         {"mean", m_rows_scored ? Round4(c.sum / static_cast<double>(m_rows_scored)) : 0.0},
                         {"histogram", {{"lo", 0.0}, {"hi", 1.0}, {"counts", bins}}}};
        auto t = m_thresholds.find(label);
        if (t != m_thresholds.end()) {
          e["threshold"] = t->second;
          e["rows_over_threshold"] = c.over;
        }
        classes[label] = e;
      }
      r["classes"] = classes;
    }
    if (m_use_bad_words) {
      nlohmann::json bw{{"languages", m_languages}, {"terms", m_matcher ? m_matcher->size() : 0},
                        {"rows_with_hits", m_bw_rows}, {"hits", m_bw_hits}};
      if (m_max_hits >= 0) {
        bw["max_hits"] = m_max_hits;
        bw["rows_over_max"] = m_bw_over;
      }
      // Most frequent terms, masked (count desc, then term).
      std::vector<std::pair<uint64_t, std::string>> top;
      for (const auto& [term, n] : m_term_hits) top.emplace_back(n, term);
      std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      });
      nlohmann::json tt = nlohmann::json::array();
      for (size_t i = 0; i < top.size() && i < 10; ++i) {
        std::vector<BadWordMatch> whole{BadWordMatch{0, top[i].second.size(), 0}};
        tt.push_back({{"term", MaskMatches(top[i].second, whole)}, {"hits", top[i].first}});
      }
      bw["top_terms"] = tt;
      r["bad_words"] = bw;
    }
    nlohmann::json reasons = nlohmann::json::object();
    for (const auto& [reason, n] : m_reason_counts) reasons[reason] = n;
    r["reasons"] = reasons;
    r["samples"] = m_samples;
    return r;
  }

 private:
  struct Job {
    std::vector<Row*> rows;
    std::vector<std::string> texts;
    std::vector<uint32_t> owner;  // text -> index in rows
  };
  struct ClassStats {
    uint64_t top = 0, over = 0;
    double sum = 0;
    std::vector<uint64_t> hist = std::vector<uint64_t>(10, 0);
  };

  bool RoleWanted(Role r) const {
    for (const auto& name : m_roles) {
      Role want;
      if (ParseRole(name, &want) && want == r) return true;
    }
    return false;
  }

  void CollectUnits(const Example& ex, uint32_t owner, Job* job) const {
    auto add = [&](const std::string& t) {
      job->texts.push_back(t);
      job->owner.push_back(owner);
    };
    if (m_field != "each_turn") {
      TextView v = TextView::Example;
      ParseTextView(m_field, &v);
      std::string text;
      ViewText(ex, v, &text);
      add(text);
      return;
    }
    size_t before = job->texts.size();
    for (const auto& m : ex.messages) {
      if (RoleWanted(m.role)) add(m.content);
    }
    for (const auto* list : {&ex.chosen, &ex.rejected}) {
      for (const auto& m : *list) {
        if (RoleWanted(m.role)) add(m.content);
      }
    }
    if (ex.has_text) add(ex.text);
    if (job->texts.size() == before) add(std::string());  // nothing to judge: scored as empty text
  }

  void AddSample(const std::string& reason, const Row& row, const StepContext& ctx, const nlohmann::json& scores,
                 const std::string& text) {
    size_t& n = m_sample_counts[reason];
    if (n >= kSamplesPerReason) return;
    ++n;
    std::vector<BadWordMatch> matches;
    if (m_matcher) m_matcher->Find(text, &matches);
    nlohmann::json s{{"row", RowRef(row.ex.origin, ctx)}, {"reason", reason},
                     {"excerpt", Excerpt(MaskMatches(text, matches), kExcerptBytes)}};
    if (!scores.is_null()) s["scores"] = scores;
    m_samples.push_back(std::move(s));
  }

  void FinishJob(const Job& job, const std::vector<float>& scores, const std::string& step_id, const StepContext& ctx) {
    const std::vector<std::string> labels = m_scorer ? m_scorer->labels() : std::vector<std::string>{};
    const size_t k = labels.size();
    const bool scored = m_scorer && k > 0 && scores.size() == job.texts.size() * k;
    if (scored && !m_thresholds_checked) {
      m_thresholds_checked = true;
      for (const auto& [label, v] : m_thresholds) {
        if (std::find(labels.begin(), labels.end(), label) == labels.end()) m_unknown_threshold = label;
      }
    }
    // Per row: the highest score of each class over its texts, the text that gave the highest
    // non-neutral score, bad-word hits.
    const size_t nrows = job.rows.size();
    std::vector<std::vector<double>> best(nrows, std::vector<double>(k, -1.0));
    std::vector<size_t> best_text(nrows, SIZE_MAX);
    std::vector<double> best_toxic(nrows, -1.0);
    std::vector<uint64_t> hits(nrows, 0);
    std::vector<size_t> hit_text(nrows, SIZE_MAX);
    std::vector<BadWordMatch> matches;
    for (size_t t = 0; t < job.texts.size(); ++t) {
      const uint32_t i = job.owner[t];
      if (scored) {
        for (size_t c = 0; c < k; ++c) {
          const double s = scores[t * k + c];
          best[i][c] = std::max(best[i][c], s);
          if (m_thresholds.count(labels[c]) && s > best_toxic[i]) {
            best_toxic[i] = s;
            best_text[i] = t;
          }
        }
      }
      if (m_matcher) {
        m_matcher->Find(job.texts[t], &matches);
        if (!matches.empty() && hit_text[i] == SIZE_MAX) hit_text[i] = t;
        hits[i] += matches.size();
        for (const auto& m : matches) m_term_hits[m_matcher->terms()[m.term]]++;
      }
    }
    m_texts += job.texts.size();
    for (size_t i = 0; i < nrows; ++i) {
      Row& r = *job.rows[i];
      ++m_rows_seen;
      if (!r.annotations.is_object()) r.annotations = nlohmann::json::object();
      nlohmann::json a = nlohmann::json::object();
      nlohmann::json score_json;
      std::string reason, detail;
      if (m_use_model && !scored) {
        ++m_rows_unscored;
        const std::string err = m_scorer && !m_scorer->error().empty() ? m_scorer->error() : "not scored";
        r.flags.push_back(Verdict{VerdictKind::Flag, "", "model_error", "toxicity model: " + err});
        m_reason_counts["model_error"]++;
      } else if (scored) {
        ++m_rows_scored;
        score_json = nlohmann::json::object();
        size_t top = 0;
        for (size_t c = 0; c < k; ++c) {
          const double s = best[i][c];
          score_json[labels[c]] = Round4(s);
          ClassStats& cs = m_classes[labels[c]];
          cs.sum += s;
          cs.hist[std::min<size_t>(static_cast<size_t>(std::max(0.0, s) * 10.0), 9)]++;
          if (s > best[i][top]) top = c;
        }
        m_classes[labels[top]].top++;
        a["scores"] = score_json;
        // The first class in label order over its threshold decides.
        for (size_t c = 0; c < k; ++c) {
          auto th = m_thresholds.find(labels[c]);
          if (th == m_thresholds.end() || best[i][c] < th->second) continue;
          m_classes[labels[c]].over++;
          if (reason.empty()) {
            reason = "toxic_" + labels[c];
            detail = labels[c] + " score " + Fmt(best[i][c]) + " >= " + Fmt(th->second);
          }
        }
      }
      if (m_matcher) {
        a["bad_words"] = hits[i];
        if (hits[i] > 0) ++m_bw_rows;
        m_bw_hits += hits[i];
        if (m_max_hits >= 0 && hits[i] > static_cast<uint64_t>(m_max_hits)) {
          ++m_bw_over;
          if (reason.empty()) {
            reason = "bad_words";
            detail = std::to_string(hits[i]) + " bad-word hits (max " + std::to_string(m_max_hits) + ")";
          }
        }
      }
      r.annotations[step_id] = std::move(a);
      if (reason.empty()) continue;
      m_reason_counts[reason]++;
      const size_t sample_text = reason == "bad_words" ? hit_text[i] : best_text[i];
      AddSample(reason, r, ctx, score_json, sample_text < job.texts.size() ? job.texts[sample_text] : std::string());
      Verdict v{m_action == "drop" ? VerdictKind::Drop : VerdictKind::Flag, "", reason, detail};
      if (m_action == "drop") {
        r.verdict = std::move(v);
      } else {
        r.flags.push_back(std::move(v));
      }
    }
  }

  ToxicityScorerConfig m_config;
  bool m_use_model = true;
  std::string m_field = "each_turn", m_action = "drop";
  std::vector<std::string> m_roles{"user", "assistant"};
  std::map<std::string, double> m_thresholds{{"hate", 0.5}, {"offensive", 0.5}};
  bool m_use_bad_words = true;
  std::vector<std::string> m_languages{"en"};
  int64_t m_max_hits = -1;
  std::unique_ptr<BadWordsMatcher> m_matcher;
  std::unique_ptr<ToxicityScorer> m_scorer;
  bool m_thresholds_checked = false;
  std::string m_unknown_threshold;

  uint64_t m_rows_seen = 0, m_texts = 0, m_rows_scored = 0, m_rows_unscored = 0;
  uint64_t m_bw_rows = 0, m_bw_hits = 0, m_bw_over = 0;
  std::map<std::string, ClassStats> m_classes;
  std::map<std::string, uint64_t> m_term_hits, m_reason_counts;
  std::map<std::string, size_t> m_sample_counts;
  nlohmann::json m_samples = nlohmann::json::array();
};

}  // namespace

WINNOW_REGISTER_STEP(FilterToxicityStep, "filter.toxicity",
                     "Toxicity (hate / offensive) with the shipped model plus multilingual bad-word lists; drop or flag");

}  // namespace winnow
