// score.model: scores a text view of each row (or each turn) with a user's ONNX classifier /
// regressor (tokenizer + model through the platform's ModelRunner), annotates the score and, with a
// threshold, drops or flags rows above / below it. Asynchronous in the page (Busy until scored).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "pipeline/example_view.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step.h"
#include "pipeline/step_util.h"
#include "pipeline/text_model_client.h"

namespace winnow {
namespace {

class ScoreModelStep final : public Step {
 public:
  std::string_view Type() const override { return "score.model"; }
  Status Configure(const nlohmann::json& p) override {
    Status st = CheckParamKeys(Type(), p, {"model", "tokenizer", "output", "max_length", "batch_size", "add_special",
                                           "field", "label", "activation", "threshold", "drop_if", "action"});
    if (!st.ok()) return st;
    if (!(st = m_model.Parse(Type(), p)).ok()) return st;
    std::vector<std::string_view> fields = TextViewNames();
    fields.push_back("each_turn");
    if (!(st = GetParam(Type(), p, "field", &m_field, fields)).ok()) return st;
    if (!(st = GetParam(Type(), p, "label", &m_label, -1, 4096)).ok()) return st;
    if (!(st = GetParam(Type(), p, "activation", &m_activation, {"auto", "none", "softmax", "sigmoid"})).ok()) return st;
    if (p.contains("threshold") && !p["threshold"].is_null()) {
      if (!(st = GetParam(Type(), p, "threshold", &m_threshold, -1e9, 1e9)).ok()) return st;
      m_has_threshold = true;
    }
    if (!(st = GetParam(Type(), p, "drop_if", &m_drop_if, {"above", "below"})).ok()) return st;
    if (!(st = GetParam(Type(), p, "action", &m_action, {"drop", "flag"})).ok()) return st;
    return Status::Ok();
  }
  nlohmann::json Params() const override {
    nlohmann::json j = nlohmann::json::object();
    m_model.ToJson(&j);
    j["field"] = m_field;
    j["label"] = m_label;
    j["activation"] = m_activation;
    j["threshold"] = m_has_threshold ? nlohmann::json(m_threshold) : nlohmann::json(nullptr);
    j["drop_if"] = m_drop_if;
    j["action"] = m_action;
    return j;
  }
  Status Prepare(StepContext& ctx) override {
    m_client = std::make_unique<TextModelClient>();
    return m_client->Start(m_model, ctx);
  }
  bool Busy() const override { return m_client && m_client->Busy(); }

  void Process(std::span<Row*> rows, StepContext& ctx) override {
    if (!m_client) return;
    // Texts of this batch and the row each belongs to.
    auto job = std::make_shared<Job>();
    job->rows.assign(rows.begin(), rows.end());
    std::string text;
    for (size_t i = 0; i < rows.size(); ++i) {
      const Example& ex = rows[i]->ex;
      if (m_field == "each_turn") {
        for (const auto& m : ex.messages) {
          job->texts.push_back(m.content);
          job->owner.push_back(static_cast<uint32_t>(i));
        }
        if (ex.messages.empty()) {
          ViewText(ex, TextView::Example, &text);
          job->texts.push_back(text);
          job->owner.push_back(static_cast<uint32_t>(i));
        }
      } else {
        TextView v = TextView::Example;
        ParseTextView(m_field, &v);
        ViewText(ex, v, &text);
        job->texts.push_back(text);
        job->owner.push_back(static_cast<uint32_t>(i));
      }
    }
    job->scores.assign(job->texts.size(), std::nan(""));
    std::string step_id = ctx.step_id;
    const std::vector<std::string>* names = ctx.input_names;
    std::vector<std::string> texts = job->texts;
    m_client->Submit(
        std::move(texts),
        [this, job](size_t first, const Tensor& out, const EncodedBatch& batch) { ScoreBatch(*job, first, out, batch); },
        [this, job, step_id, names] { FinishJob(*job, step_id, names); });
  }

  nlohmann::json Report() const override {
    nlohmann::json r = nlohmann::json::object();
    r["field"] = m_field;
    r["rows_scored"] = m_rows_scored;
    r["texts_scored"] = m_texts_scored;
    r["rows_unscored"] = m_rows_unscored;
    if (m_client) {
      r["tokens"] = m_client->tokens_done();
      r["texts_at_max_length"] = m_client->truncated();
      if (!m_client->error().empty()) r["error"] = m_client->error();
    }
    if (!m_score_kind.empty()) r["score"] = m_score_kind;
    if (m_rows_scored) {
      r["mean"] = Round4(m_sum / static_cast<double>(m_rows_scored));
      r["min"] = Round4(m_min);
      r["max"] = Round4(m_max);
      // Ten equal bins between the observed min and max.
      nlohmann::json bins = nlohmann::json::array();
      for (uint64_t c : m_hist) bins.push_back(c);
      r["histogram"] = nlohmann::json{{"lo", Round4(m_hist_lo)}, {"hi", Round4(m_hist_hi)}, {"counts", bins}};
    }
    if (m_has_threshold) {
      r["threshold"] = m_threshold;
      r["drop_if"] = m_drop_if;
      r["action"] = m_action;
      r["over_threshold"] = m_over;
    }
    return r;
  }

 private:
  struct Job {
    std::vector<Row*> rows;
    std::vector<std::string> texts;
    std::vector<uint32_t> owner;  // text -> index in rows
    std::vector<double> scores;   // per text; NaN until scored
  };

  // The score of one output row: a single value as is (regressor) or after a sigmoid; several
  // values: the chosen label's probability after softmax (or sigmoid / raw, by "activation").
  double ScoreOf(const float* v, size_t k) {
    std::string act = m_activation;
    if (act == "auto") act = k >= 2 ? "softmax" : "none";
    size_t label = m_label >= 0 ? static_cast<size_t>(m_label) : (k >= 2 ? 1 : 0);
    if (label >= k) label = k - 1;
    if (m_score_kind.empty()) m_score_kind = act + " of output column " + std::to_string(label) + " of " + std::to_string(k);
    if (act == "softmax") {
      double mx = v[0];
      for (size_t i = 1; i < k; ++i) mx = std::max(mx, static_cast<double>(v[i]));
      double sum = 0;
      for (size_t i = 0; i < k; ++i) sum += std::exp(static_cast<double>(v[i]) - mx);
      return std::exp(static_cast<double>(v[label]) - mx) / sum;
    }
    if (act == "sigmoid") return 1.0 / (1.0 + std::exp(-static_cast<double>(v[label])));
    return v[label];
  }

  void ScoreBatch(Job& job, size_t first, const Tensor& out, const EncodedBatch& batch) {
    if (out.type != TensorType::Float32 || out.shape.empty() || out.shape[0] != static_cast<int64_t>(batch.rows)) return;
    const size_t k = batch.rows ? out.f32.size() / batch.rows : 0;
    if (k == 0) return;
    for (size_t i = 0; i < batch.rows && first + i < job.scores.size(); ++i) {
      job.scores[first + i] = ScoreOf(out.f32.data() + i * k, k);
    }
  }

  void FinishJob(Job& job, const std::string& step_id, const std::vector<std::string>* names) {
    std::vector<double> row_score(job.rows.size(), std::nan(""));
    std::vector<nlohmann::json> turn_scores(job.rows.size(), nlohmann::json::array());
    std::vector<bool> missing(job.rows.size(), false);
    for (size_t t = 0; t < job.texts.size(); ++t) {
      const uint32_t i = job.owner[t];
      const double s = job.scores[t];
      if (std::isnan(s)) {
        missing[i] = true;
        continue;
      }
      ++m_texts_scored;
      // A row's score is its highest-scoring turn: one toxic turn makes the conversation toxic.
      if (std::isnan(row_score[i]) || s > row_score[i]) row_score[i] = s;
      turn_scores[i].push_back(Round4(s));
    }
    for (size_t i = 0; i < job.rows.size(); ++i) {
      Row& r = *job.rows[i];
      if (missing[i] || std::isnan(row_score[i])) {
        ++m_rows_unscored;
        r.flags.push_back(Verdict{VerdictKind::Flag, "", "model_error",
                                  m_client->error().empty() ? "not scored" : "not scored: " + m_client->error()});
        continue;
      }
      const double s = Round4(row_score[i]);
      ++m_rows_scored;
      m_sum += s;
      m_min = m_rows_scored == 1 ? s : std::min(m_min, s);
      m_max = m_rows_scored == 1 ? s : std::max(m_max, s);
      AddToHistogram(s);
      nlohmann::json a{{"score", s}};
      if (m_field == "each_turn") a["turn_scores"] = turn_scores[i];
      if (!r.annotations.is_object()) r.annotations = nlohmann::json::object();
      r.annotations[step_id] = a;
      if (!m_has_threshold) continue;
      const bool over = m_drop_if == "above" ? s > m_threshold : s < m_threshold;
      if (!over) continue;
      ++m_over;
      char buf[64];
      std::snprintf(buf, sizeof buf, "model score %.4f %s %.4f", s, m_drop_if == "above" ? ">" : "<", m_threshold);
      Verdict v{m_action == "drop" ? VerdictKind::Drop : VerdictKind::Flag, "", "model_score", buf};
      if (m_action == "drop") {
        r.verdict = v;
      } else {
        r.flags.push_back(v);
      }
    }
    (void)names;
  }

  // Fixed bins over [0, 1] for probabilities; scores outside widen the range to whole units.
  void AddToHistogram(double s) {
    if (m_hist.empty()) {
      m_hist.assign(10, 0);
      m_hist_lo = std::min(0.0, std::floor(s));
      m_hist_hi = std::max(1.0, std::ceil(s));
    }
    if (s < m_hist_lo || s > m_hist_hi) return;  // outside the first row's range: counted in min/max only
    size_t b = static_cast<size_t>((s - m_hist_lo) / (m_hist_hi - m_hist_lo) * 10.0);
    m_hist[std::min<size_t>(b, 9)]++;
  }

  TextModelConfig m_model;
  std::string m_field = "example", m_activation = "auto", m_drop_if = "above", m_action = "drop";
  int64_t m_label = -1;
  double m_threshold = 0.5;
  bool m_has_threshold = false;
  std::unique_ptr<TextModelClient> m_client;
  uint64_t m_rows_scored = 0, m_texts_scored = 0, m_rows_unscored = 0, m_over = 0;
  double m_sum = 0, m_min = 0, m_max = 0, m_hist_lo = 0, m_hist_hi = 1;
  std::vector<uint64_t> m_hist;
  std::string m_score_kind;
};

}  // namespace

WINNOW_REGISTER_STEP(ScoreModelStep, "score.model",
                     "Score a field (or each turn) with your ONNX classifier/regressor; annotate, drop or flag by threshold");

}  // namespace winnow
