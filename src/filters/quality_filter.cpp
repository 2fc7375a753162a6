#include "filters/quality_filter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

#include "core/hash.h"
#include "filters/gopher_repetition.h"
#include "filters/language_id.h"
#include "filters/markup_checks.h"
#include "filters/phrase_lists.h"
#include "filters/text_stats.h"

namespace winnow {

// Index:
//   [SECTION] names and settings table
//   [SECTION] number formatting and scoring helpers
//   [SECTION] configuration
//   [SECTION] the example's texts
//   [SECTION] evaluation
//   [SECTION] report

// [SECTION] names and settings table

namespace {

using json = nlohmann::json;
using S = QualitySignal;

constexpr std::string_view kSignalNames[kQualitySignalCount] = {
    "empty_reply", "length",      "refusal",     "boilerplate", "dont_know",
    "instruction_equals_output",  "output_repeats_input",       "gopher_repetition",
    "symbol_ratio", "mean_word_length", "code_fence", "html_tags", "mojibake", "tool_json",
    "language_drift",
};

// language_drift is off by default: translation tasks are legitimate prompt/reply pairs in two
// languages and would all be dropped.
constexpr bool kEnabledByDefault[kQualitySignalCount] = {
    true, true, true, true, true, true, true, true, true, true, true, true, true, true, false,
};

constexpr double kBig = 1e12;

// Thresholds follow the Gopher rules (Rae et al. 2021) where those exist; the others were chosen
// so that the shared demo datasets lose only rows that are actually broken.
const QualityFilter::Setting kSettings[] = {
    {S::Length, "min_chars", 1, 0, kBig, true},
    {S::Length, "max_chars", 100000, 1, kBig, true},
    {S::Length, "min_words", 1, 0, kBig, true},
    {S::Length, "max_words", 20000, 1, kBig, true},
    {S::Refusal, "max_hits", 0, 0, 1e6, true},
    {S::Boilerplate, "max_hits", 0, 0, 1e6, true},
    {S::OutputRepeatsInput, "max_overlap", 0.9, 0, 1, false},
    {S::OutputRepeatsInput, "min_words", 8, 1, kBig, true},
    {S::GopherRepetition, "min_words", 50, 0, kBig, true},
    // The n-gram rules (top 2-4-gram, duplicate 5-10-gram) only from this many words: Gopher set
    // their fractions for web documents, and below ~150 words one repeated phrase crosses them
    // (GSM8K's step-by-step solutions lost 4% of their rows; see README "Review").
    {S::GopherRepetition, "ngram_min_words", 150, 0, kBig, true},
    {S::GopherRepetition, "max_dup_line_frac", 0.30, 0, 1, false},
    {S::GopherRepetition, "max_dup_para_frac", 0.30, 0, 1, false},
    {S::GopherRepetition, "max_dup_line_char_frac", 0.20, 0, 1, false},
    {S::GopherRepetition, "max_dup_para_char_frac", 0.20, 0, 1, false},
    {S::GopherRepetition, "max_top_2gram_frac", 0.20, 0, 1, false},
    {S::GopherRepetition, "max_top_3gram_frac", 0.18, 0, 1, false},
    {S::GopherRepetition, "max_top_4gram_frac", 0.16, 0, 1, false},
    {S::GopherRepetition, "max_dup_5gram_frac", 0.15, 0, 1, false},
    {S::GopherRepetition, "max_dup_6gram_frac", 0.14, 0, 1, false},
    {S::GopherRepetition, "max_dup_7gram_frac", 0.13, 0, 1, false},
    {S::GopherRepetition, "max_dup_8gram_frac", 0.12, 0, 1, false},
    {S::GopherRepetition, "max_dup_9gram_frac", 0.11, 0, 1, false},
    {S::GopherRepetition, "max_dup_10gram_frac", 0.10, 0, 1, false},
    {S::SymbolRatio, "min_words", 10, 0, kBig, true},
    {S::SymbolRatio, "max_symbol_word_ratio", 0.1, 0, kBig, false},
    // Structured replies (JSON, tables) are legitimately ~60% punctuation; junk is more.
    {S::SymbolRatio, "max_non_alnum_ratio", 0.7, 0, 1, false},
    // Gopher's 3..10 is for web documents; replies with math and lists ("4 x 4 = 16") average
    // lower, so the lower bound is 2.5 and short replies (noisy averages) are not judged.
    {S::MeanWordLength, "min_words", 50, 0, kBig, true},
    {S::MeanWordLength, "min_mean", 2.5, 0, 1000, false},
    {S::MeanWordLength, "max_mean", 10, 0, 1000, false},
    {S::HtmlTags, "max_count", 0, 0, 1e6, true},
    {S::Mojibake, "max_count", 0, 0, 1e6, true},
    {S::LanguageDrift, "min_percent", 80, 0, 100, true},
    {S::LanguageDrift, "min_letters", 40, 0, kBig, true},
};
constexpr size_t kSettingCount = sizeof(kSettings) / sizeof(kSettings[0]);

int SettingIndex(QualitySignal s, std::string_view key) {
  for (size_t i = 0; i < kSettingCount; ++i) {
    if (kSettings[i].signal == s && kSettings[i].key == key) return static_cast<int>(i);
  }
  return -1;
}

// [SECTION] number formatting and scoring helpers

// Rounds to 4 decimals exactly the same way on every platform.
double Round4(double v) { return std::round(v * 10000.0) / 10000.0; }

// Deterministic text for a value: integers as integers, others with up to 4 decimals.
std::string FormatNumber(double v) {
  long long q = std::llround(v * 10000.0);
  bool neg = q < 0;
  unsigned long long a = neg ? static_cast<unsigned long long>(-q) : static_cast<unsigned long long>(q);
  std::string s = (neg ? "-" : "") + std::to_string(a / 10000);
  unsigned long long frac = a % 10000;
  if (frac != 0) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04llu", frac);
    std::string f = buf;
    while (!f.empty() && f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return s;
}

json NumberJson(double v, bool integer) {
  if (integer) return json(static_cast<int64_t>(std::llround(v)));
  return json(Round4(v));
}

// 1 well inside the threshold, 0.5 at it, 0 past it; a maximum of 0 or a minimum of at most 1 is
// a presence check: 1 or 0.
double ScoreMax(double v, double t) {
  if (t <= 0) return v <= 0 ? 1.0 : 0.0;
  if (v > t) return 0.0;
  return 1.0 - 0.5 * v / t;
}
double ScoreMin(double v, double t) {
  if (t <= 1) return v >= t ? 1.0 : 0.0;  // a presence check ("at least one word"), not a scale
  if (v < t) return 0.0;
  if (v >= 2 * t) return 1.0;
  return 0.5 + 0.5 * (v - t) / t;
}

// Histogram bin edges by kind of measure (bin i = [edges[i], edges[i+1]); the last is open).
const std::vector<double> kEdgesSize = {0, 1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 50000, 100000};
const std::vector<double> kEdgesRatio = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1};
const std::vector<double> kEdgesCount = {0, 1, 2, 3, 5, 10};
const std::vector<double> kEdgesWordLen = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20};

const std::vector<double>& EdgesFor(std::string_view measure) {
  if (measure == "chars" || measure == "words") return kEdgesSize;
  if (measure == "mean_word_length") return kEdgesWordLen;
  if (measure == "refusal_hits" || measure == "boilerplate_hits" || measure == "html_tags" ||
      measure == "mojibake" || measure == "invalid_tool_json" || measure == "blank_turns" ||
      measure == "symbol_word_ratio") {
    return measure == "symbol_word_ratio" ? kEdgesRatio : kEdgesCount;
  }
  return kEdgesRatio;
}

// Collects one signal's measures into the annotation and decides pass / fail.
struct SignalCheck {
  bool applicable = true;
  bool failed = false;
  bool graded = false;  // has a measured value with a threshold (Min / Max), not only flags
  double score = 1;
  std::string reason;   // reason code of the first failing measure
  std::string detail;   // "chars 0 < 1; words 0 < 1"
};

class Evaluator {
 public:
  explicit Evaluator(json* values) : m_values(values) {}
  void Value(std::string_view measure, double v, bool integer) {
    (*m_values)[std::string(measure)] = NumberJson(v, integer);
    m_recorded.emplace_back(std::string(measure), integer ? std::round(v) : Round4(v));
  }
  // A threshold is a scale the composite score uses (SignalCheck::graded) unless it is only a
  // presence check: a maximum of 0 (no refusal phrase, no mojibake) or a minimum of 1 (at least a
  // word), where a row at the threshold is as good as any other.
  void Max(SignalCheck* c, std::string_view measure, double v, double t, std::string_view reason) {
    Apply(c, ScoreMax(v, t), t > 0, v > t, measure, v, " > ", t, reason);
  }
  void Min(SignalCheck* c, std::string_view measure, double v, double t, std::string_view reason) {
    Apply(c, ScoreMin(v, t), t > 1, v < t, measure, v, " < ", t, reason);
  }
  // Binary signals: value 0 passes, anything else fails.
  void Flag(SignalCheck* c, std::string_view measure, bool bad, std::string_view reason) {
    Apply(c, bad ? 0.0 : 1.0, false, bad, measure, bad ? 1 : 0, " = ", 1, reason);
  }
  const std::vector<std::pair<std::string, double>>& recorded() const { return m_recorded; }

 private:
  void Apply(SignalCheck* c, double score, bool graded, bool fail, std::string_view measure, double v, const char* op,
             double t, std::string_view reason) {
    c->score = std::min(c->score, score);
    c->graded = c->graded || graded;
    if (!fail) return;
    if (!c->failed) c->reason = std::string(reason);
    c->failed = true;
    if (!c->detail.empty()) c->detail += "; ";
    c->detail += std::string(measure) + " " + FormatNumber(v) + op + FormatNumber(t);
  }
  json* m_values;
  std::vector<std::pair<std::string, double>> m_recorded;
};

// [SECTION] the example's texts

struct Texts {
  std::vector<std::string_view> user_turns, assistant_turns;
  std::string_view instruction;  // the user message answered by `output`
  std::string_view output;       // the final reply
  int32_t input_split = -1;      // alpaca instruction / input boundary in `instruction`
  std::string prompt, reply;     // turns joined with "\n"
  bool has_reply = false;        // assistant turns (or chosen) exist
  bool is_text = false;          // pretraining text row
  std::vector<std::string_view> all_content, tool_calls;
};

std::string Join(const std::vector<std::string_view>& parts) {
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) s.push_back('\n');
    s.append(parts[i]);
  }
  return s;
}

void CollectTexts(const Example& ex, Texts* t) {
  std::string_view last_user;
  bool last_user_is_final = false;
  for (size_t i = 0; i < ex.messages.size(); ++i) {
    const Message& m = ex.messages[i];
    t->all_content.push_back(m.content);
    if (!m.tool_calls.empty()) t->tool_calls.push_back(m.tool_calls);
    if (m.role == Role::User) {
      t->user_turns.push_back(m.content);
      last_user = m.content;
      // Alpaca's split applies to the last user message only.
      last_user_is_final = true;
      for (size_t k = i + 1; k < ex.messages.size(); ++k) {
        if (ex.messages[k].role == Role::User) last_user_is_final = false;
      }
    } else if (m.role == Role::Assistant) {
      // A pure tool-call turn (function_call) has no text to judge; its JSON is checked apart.
      if (!m.tool_calls.empty() && IsBlank(m.content)) continue;
      t->assistant_turns.push_back(m.content);
      t->instruction = last_user;
      t->output = m.content;
      t->input_split = last_user_is_final ? ex.input_split : -1;
    }
  }
  std::vector<std::string_view> chosen_assistant;
  for (const Message& m : ex.chosen) {
    t->all_content.push_back(m.content);
    if (!m.tool_calls.empty()) t->tool_calls.push_back(m.tool_calls);
    if (m.role == Role::Assistant) chosen_assistant.push_back(m.content);
  }
  if (chosen_assistant.empty()) {
    for (const Message& m : ex.chosen) chosen_assistant.push_back(m.content);
  }
  for (std::string_view c : chosen_assistant) {
    t->assistant_turns.push_back(c);
    t->instruction = last_user;
    t->output = c;
    t->input_split = last_user_is_final ? ex.input_split : -1;
  }
  for (const Message& m : ex.rejected) {
    t->all_content.push_back(m.content);
    if (!m.tool_calls.empty()) t->tool_calls.push_back(m.tool_calls);
  }
  if (ex.has_text) t->all_content.push_back(ex.text);

  t->prompt = Join(t->user_turns);
  if (!t->assistant_turns.empty()) {
    t->has_reply = true;
    t->reply = Join(t->assistant_turns);
  } else if (ex.has_text) {
    t->is_text = true;
    t->reply = ex.text;
    t->output = ex.text;
  } else {
    // A prompt-only dataset (questions to be answered later): judge the prompt itself.
    t->reply = t->prompt;
    t->output = t->prompt;
  }
}

// Word trigram overlap: the share of the output's trigrams that also occur in the prompt.
double TrigramOverlap(std::string_view output, std::string_view prompt, size_t* output_words) {
  std::vector<std::string_view> w;
  auto hashes = [&](std::string_view s) {
    SplitWords(s, &w);
    std::vector<uint64_t> h(w.size());
    std::string lower;
    for (size_t i = 0; i < w.size(); ++i) {
      lower.assign(w[i]);
      for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      }
      h[i] = Hash64(lower);
    }
    return h;
  };
  std::vector<uint64_t> out = hashes(output);
  *output_words = out.size();
  std::vector<uint64_t> in = hashes(prompt);
  if (out.size() < 3 || in.size() < 3) return 0;
  auto tri = [](const std::vector<uint64_t>& h, size_t i) { return (h[i] * 31 + h[i + 1]) * 31 + h[i + 2]; };
  std::unordered_set<uint64_t> prompt_set;
  for (size_t i = 0; i + 3 <= in.size(); ++i) prompt_set.insert(tri(in, i));
  size_t hit = 0, total = 0;
  for (size_t i = 0; i + 3 <= out.size(); ++i) {
    ++total;
    hit += prompt_set.count(tri(out, i));
  }
  return static_cast<double>(hit) / static_cast<double>(total);
}

size_t CountLetters(std::string_view s) { return ComputeTextStats(s).letters; }

}  // namespace

std::string_view QualitySignalName(QualitySignal s) { return kSignalNames[static_cast<size_t>(s)]; }

// [SECTION] configuration

QualityFilter::QualityFilter() {
  for (size_t i = 0; i < kQualitySignalCount; ++i) m_cfg.enabled[i] = kEnabledByDefault[i];
  for (const Setting& s : kSettings) m_cfg.values.push_back(s.def);
}

Status QualityFilter::Configure(const json& params) {
  auto bad = [](std::string msg) { return Status(Error{"bad_config", "filter.quality: " + std::move(msg)}); };
  if (params.is_null()) return Status::Ok();
  if (!params.is_object()) return bad("params must be an object");
  Config cfg = m_cfg;
  double min_score = m_min_score;
  bool flag_only = m_flag_only;
  std::string all_keys;
  for (std::string_view n : kSignalNames) all_keys += std::string(all_keys.empty() ? "" : ", ") + std::string(n);
  all_keys += ", min_score, action";

  for (auto it = params.begin(); it != params.end(); ++it) {
    const std::string& key = it.key();
    const json& v = it.value();
    if (key == "min_score") {
      if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 1) {
        return bad("\"min_score\" must be a number from 0 to 1");
      }
      min_score = v.get<double>();
      continue;
    }
    if (key == "action") {
      if (!v.is_string() || (v != "drop" && v != "flag")) return bad("\"action\" must be \"drop\" or \"flag\"");
      flag_only = v == "flag";
      continue;
    }
    int sig = -1;
    for (size_t i = 0; i < kQualitySignalCount; ++i) {
      if (kSignalNames[i] == key) sig = static_cast<int>(i);
    }
    if (sig < 0) return bad("unknown parameter \"" + key + "\"; expected one of: " + all_keys);
    QualitySignal s = static_cast<QualitySignal>(sig);
    if (v.is_boolean()) {
      cfg.enabled[sig] = v.get<bool>();
      continue;
    }
    std::string allowed = "enabled";
    for (const Setting& st : kSettings) {
      if (st.signal == s) allowed += ", " + std::string(st.key);
    }
    if (!v.is_object()) return bad("\"" + key + "\" must be true, false or an object with keys: " + allowed);
    for (auto jt = v.begin(); jt != v.end(); ++jt) {
      const std::string& k = jt.key();
      const json& x = jt.value();
      if (k == "enabled") {
        if (!x.is_boolean()) return bad("\"" + key + ".enabled\" must be true or false");
        cfg.enabled[sig] = x.get<bool>();
        continue;
      }
      int idx = SettingIndex(s, k);
      if (idx < 0) return bad("unknown key \"" + key + "." + k + "\"; expected one of: " + allowed);
      const Setting& st = kSettings[idx];
      if (!x.is_number()) return bad("\"" + key + "." + k + "\" must be a number");
      double d = x.get<double>();
      if (!(d >= st.lo && d <= st.hi) || (st.integer && d != std::floor(d))) {
        return bad("\"" + key + "." + k + "\" must be " + (st.integer ? "an integer" : "a number") + " from " +
                   FormatNumber(st.lo) + " to " + FormatNumber(st.hi) + ", got " + x.dump());
      }
      cfg.values[idx] = d;
    }
  }
  auto val = [&](QualitySignal s, std::string_view k) { return cfg.values[SettingIndex(s, k)]; };
  if (val(S::Length, "min_chars") > val(S::Length, "max_chars")) {
    return bad("\"length.min_chars\" is larger than \"length.max_chars\"");
  }
  if (val(S::Length, "min_words") > val(S::Length, "max_words")) {
    return bad("\"length.min_words\" is larger than \"length.max_words\"");
  }
  if (val(S::MeanWordLength, "min_mean") > val(S::MeanWordLength, "max_mean")) {
    return bad("\"mean_word_length.min_mean\" is larger than \"mean_word_length.max_mean\"");
  }
  m_cfg = std::move(cfg);
  m_min_score = min_score;
  m_flag_only = flag_only;
  return Status::Ok();
}

json QualityFilter::Params() const {
  json p = json::object();
  for (size_t i = 0; i < kQualitySignalCount; ++i) {
    json sj = json::object();
    sj["enabled"] = m_cfg.enabled[i];
    for (size_t k = 0; k < kSettingCount; ++k) {
      if (static_cast<size_t>(kSettings[k].signal) == i) {
        sj[std::string(kSettings[k].key)] = NumberJson(m_cfg.values[k], kSettings[k].integer);
      }
    }
    p[std::string(kSignalNames[i])] = std::move(sj);
  }
  p["min_score"] = m_min_score;
  p["action"] = m_flag_only ? "flag" : "drop";
  return p;
}

// [SECTION] evaluation

void QualityFilter::Evaluate(const Example& ex, QualityOutcome* out) {
  *out = QualityOutcome{};
  Texts t;
  CollectTexts(ex, &t);
  json values = json::object();
  json breakdown = json::object();
  json languages;
  Evaluator ev(&values);
  std::array<SignalCheck, kQualitySignalCount> checks;
  auto on = [&](QualitySignal s) { return m_cfg.enabled[static_cast<size_t>(s)]; };
  auto cfg = [&](QualitySignal s, std::string_view k) { return m_cfg.values[SettingIndex(s, k)]; };
  auto check = [&](QualitySignal s) -> SignalCheck& { return checks[static_cast<size_t>(s)]; };

  const std::string prose = RemoveFencedCode(t.reply);
  TextStats reply_stats = ComputeTextStats(t.reply);
  TextStats prose_stats = ComputeTextStats(prose);
  std::string norm_reply;
  if (on(S::Refusal) || on(S::Boilerplate)) norm_reply = NormalizeForMatch(t.reply);

  if (on(S::EmptyReply)) {
    int blank = 0;
    if (t.has_reply) {
      for (std::string_view turn : t.assistant_turns) blank += IsBlank(turn);
    } else {
      blank = IsBlank(t.reply);
    }
    SignalCheck& c = check(S::EmptyReply);
    ev.Value("blank_turns", blank, true);
    ev.Max(&c, "blank_turns", blank, 0, "empty_reply");
  }
  if (on(S::Length)) {
    SignalCheck& c = check(S::Length);
    double chars = static_cast<double>(reply_stats.code_points), words = static_cast<double>(reply_stats.words);
    ev.Value("chars", chars, true);
    ev.Value("words", words, true);
    ev.Min(&c, "chars", chars, cfg(S::Length, "min_chars"), "too_short");
    ev.Max(&c, "chars", chars, cfg(S::Length, "max_chars"), "too_long");
    ev.Min(&c, "words", words, cfg(S::Length, "min_words"), "too_short");
    ev.Max(&c, "words", words, cfg(S::Length, "max_words"), "too_long");
  }
  if (on(S::Refusal)) {
    int hits = CountPhraseHits(norm_reply, RefusalPhrases());
    ev.Value("refusal_hits", hits, true);
    ev.Max(&check(S::Refusal), "refusal_hits", hits, cfg(S::Refusal, "max_hits"), "refusal");
  }
  if (on(S::Boilerplate)) {
    int hits = CountPhraseHits(norm_reply, BoilerplatePhrases());
    ev.Value("boilerplate_hits", hits, true);
    ev.Max(&check(S::Boilerplate), "boilerplate_hits", hits, cfg(S::Boilerplate, "max_hits"), "ai_boilerplate");
  }
  if (on(S::DontKnow)) {
    // A "don't know" reply is short; skip normalizing long ones.
    bool dk = t.output.size() <= 400 && IsDontKnowOnly(NormalizeForMatch(t.output));
    ev.Value("dont_know", dk, true);
    ev.Flag(&check(S::DontKnow), "dont_know", dk, "dont_know");
  }
  if (on(S::InstructionEqualsOutput)) {
    SignalCheck& c = check(S::InstructionEqualsOutput);
    if (!t.has_reply || t.instruction.empty()) {
      c.applicable = false;
    } else {
      std::string o = NormalizeForMatch(t.output);
      bool same = !o.empty() && o == NormalizeForMatch(t.instruction);
      if (!same && t.input_split >= 0 && static_cast<size_t>(t.input_split) <= t.instruction.size()) {
        std::string_view ins = t.instruction.substr(0, t.input_split);
        std::string_view inp = t.instruction.substr(t.input_split);
        same = !o.empty() && (o == NormalizeForMatch(ins) || o == NormalizeForMatch(inp));
      }
      ev.Value("instruction_equals_output", same, true);
      ev.Flag(&c, "instruction_equals_output", same, "instruction_equals_output");
    }
  }
  if (on(S::OutputRepeatsInput)) {
    SignalCheck& c = check(S::OutputRepeatsInput);
    size_t out_words = 0;
    double overlap = (t.has_reply && !t.instruction.empty()) ? TrigramOverlap(t.output, t.instruction, &out_words) : 0;
    if (!t.has_reply || t.instruction.empty() || out_words < cfg(S::OutputRepeatsInput, "min_words")) {
      c.applicable = false;
    } else {
      ev.Value("input_overlap", overlap, false);
      ev.Max(&c, "input_overlap", overlap, cfg(S::OutputRepeatsInput, "max_overlap"), "output_repeats_input");
    }
  }
  if (on(S::GopherRepetition)) {
    SignalCheck& c = check(S::GopherRepetition);
    // Per assistant turn (a conversation may say similar things in several turns without any
    // one reply being repetitive), keeping the worst value of each measure. Turns shorter than
    // min_words are not judged; CJK turns get only the line and paragraph rules, because their
    // "words" are single characters and Gopher's n-gram thresholds do not transfer.
    const double min_words = cfg(S::GopherRepetition, "min_words");
    const double ngram_min_words = cfg(S::GopherRepetition, "ngram_min_words");
    std::vector<std::string_view> turns = t.has_reply ? t.assistant_turns : std::vector<std::string_view>{t.reply};
    GopherRepetition worst;
    bool any = false, any_ngram = false;
    for (std::string_view turn : turns) {
      std::string turn_prose = RemoveFencedCode(turn);
      TextStats st = ComputeTextStats(turn_prose);
      if (st.words == 0 || st.words < min_words) continue;
      const bool cjk = st.cjk * 2 > st.letters;
      GopherRepetition r = ComputeGopherRepetition(turn_prose);
      any = true;
      worst.dup_line_frac = std::max(worst.dup_line_frac, r.dup_line_frac);
      worst.dup_para_frac = std::max(worst.dup_para_frac, r.dup_para_frac);
      worst.dup_line_char_frac = std::max(worst.dup_line_char_frac, r.dup_line_char_frac);
      worst.dup_para_char_frac = std::max(worst.dup_para_char_frac, r.dup_para_char_frac);
      if (cjk || st.words < ngram_min_words) continue;
      any_ngram = true;
      for (size_t k = 0; k < worst.top_ngram_char_frac.size(); ++k) {
        worst.top_ngram_char_frac[k] = std::max(worst.top_ngram_char_frac[k], r.top_ngram_char_frac[k]);
      }
      for (size_t k = 0; k < worst.dup_ngram_char_frac.size(); ++k) {
        worst.dup_ngram_char_frac[k] = std::max(worst.dup_ngram_char_frac[k], r.dup_ngram_char_frac[k]);
      }
    }
    if (!any) {
      c.applicable = false;
    } else {
      const char* reason = "gopher_repetition";
      auto rule = [&](std::string_view measure, double v, std::string_view setting) {
        ev.Value(measure, v, false);
        ev.Max(&c, measure, v, cfg(S::GopherRepetition, setting), reason);
      };
      rule("dup_line_frac", worst.dup_line_frac, "max_dup_line_frac");
      rule("dup_para_frac", worst.dup_para_frac, "max_dup_para_frac");
      rule("dup_line_char_frac", worst.dup_line_char_frac, "max_dup_line_char_frac");
      rule("dup_para_char_frac", worst.dup_para_char_frac, "max_dup_para_char_frac");
      for (int n = 2; n <= 4 && any_ngram; ++n) {
        std::string m = "top_" + std::to_string(n) + "gram_frac";
        rule(m, worst.top_ngram_char_frac[n - 2], "max_" + m);
      }
      for (int n = 5; n <= 10 && any_ngram; ++n) {
        std::string m = "dup_" + std::to_string(n) + "gram_frac";
        rule(m, worst.dup_ngram_char_frac[n - 5], "max_" + m);
      }
    }
  }
  if (on(S::SymbolRatio)) {
    SignalCheck& c = check(S::SymbolRatio);
    if (prose_stats.words < cfg(S::SymbolRatio, "min_words")) {
      c.applicable = false;
    } else {
      double sw = static_cast<double>(prose_stats.hash_and_ellipsis) / static_cast<double>(prose_stats.words);
      uint64_t visible = prose_stats.letters + prose_stats.digits + prose_stats.symbols;
      double na = visible ? static_cast<double>(prose_stats.symbols) / static_cast<double>(visible) : 0;
      ev.Value("symbol_word_ratio", sw, false);
      ev.Value("non_alnum_ratio", na, false);
      ev.Max(&c, "symbol_word_ratio", sw, cfg(S::SymbolRatio, "max_symbol_word_ratio"), "symbol_ratio");
      ev.Max(&c, "non_alnum_ratio", na, cfg(S::SymbolRatio, "max_non_alnum_ratio"), "symbol_ratio");
    }
  }
  if (on(S::MeanWordLength)) {
    SignalCheck& c = check(S::MeanWordLength);
    // Scripts written without spaces (CJK) have no words to measure: not applicable there.
    if (prose_stats.spaced_words == 0 || prose_stats.spaced_words < cfg(S::MeanWordLength, "min_words") ||
        prose_stats.cjk * 2 > prose_stats.letters) {
      c.applicable = false;
    } else {
      double mean = static_cast<double>(prose_stats.spaced_word_chars) / static_cast<double>(prose_stats.spaced_words);
      ev.Value("mean_word_length", mean, false);
      ev.Min(&c, "mean_word_length", mean, cfg(S::MeanWordLength, "min_mean"), "mean_word_length");
      ev.Max(&c, "mean_word_length", mean, cfg(S::MeanWordLength, "max_mean"), "mean_word_length");
    }
  }
  if (on(S::CodeFence)) {
    bool bad = HasUnbalancedCodeFence(t.reply);
    ev.Value("unbalanced_fence", bad, true);
    ev.Flag(&check(S::CodeFence), "unbalanced_fence", bad, "unbalanced_code_fence");
  }
  if (on(S::HtmlTags)) {
    SignalCheck& c = check(S::HtmlTags);
    // HTML the user asked for (or gave) is content, not a leftover.
    if (t.has_reply && (NormalizeForMatch(t.prompt).find("html") != std::string::npos ||
                        CountHtmlLeftovers(t.prompt) > 0)) {
      c.applicable = false;
    } else {
      int n = CountHtmlLeftovers(t.reply);
      ev.Value("html_tags", n, true);
      ev.Max(&c, "html_tags", n, cfg(S::HtmlTags, "max_count"), "html_tags");
    }
  }
  if (on(S::Mojibake)) {
    int n = 0;
    for (std::string_view s : t.all_content) n += CountMojibake(s);
    ev.Value("mojibake", n, true);
    ev.Max(&check(S::Mojibake), "mojibake", n, cfg(S::Mojibake, "max_count"), "mojibake");
  }
  if (on(S::ToolJson)) {
    SignalCheck& c = check(S::ToolJson);
    if (t.tool_calls.empty() && ex.tools.empty()) {
      c.applicable = false;
    } else {
      int n = CountInvalidToolJson(t.tool_calls, ex.tools);
      ev.Value("invalid_tool_json", n, true);
      ev.Max(&c, "invalid_tool_json", n, 0, "invalid_tool_json");
    }
  }
  if (on(S::LanguageDrift)) {
    SignalCheck& c = check(S::LanguageDrift);
    double min_letters = cfg(S::LanguageDrift, "min_letters");
    if (!t.has_reply || t.prompt.empty() || CountLetters(t.prompt) < min_letters ||
        CountLetters(t.reply) < min_letters) {
      c.applicable = false;
    } else {
      LanguageGuess p = DetectLanguage(t.prompt, 8192);
      LanguageGuess r = DetectLanguage(t.reply, 8192);
      double min_pct = cfg(S::LanguageDrift, "min_percent");
      languages = json{{"prompt", p.code}, {"reply", r.code}};
      if (!p.reliable || !r.reliable || p.percent < min_pct || r.percent < min_pct) {
        c.applicable = false;
      } else {
        bool drift = p.code != r.code;
        ev.Value("language_drift", drift, true);
        ev.Flag(&c, "language_drift", drift, "language_drift");
        if (drift) c.detail += " (prompt " + p.code + ", reply " + r.code + ")";
      }
    }
  }

  // Combine.
  double sum = 0, inverse_margins = 0;
  int n = 0, graded = 0;
  bool at_threshold = false;
  json failed = json::array();
  for (size_t i = 0; i < kQualitySignalCount; ++i) {
    if (!m_cfg.enabled[i]) continue;
    const SignalCheck& c = checks[i];
    if (!c.applicable) {
      ++m_signal_na[i];
      continue;
    }
    sum += c.score;
    ++n;
    if (c.graded) {
      const double margin = 2 * c.score - 1;  // 0 at the threshold, 1 far inside it
      ++graded;
      if (margin <= 0) at_threshold = true;
      else inverse_margins += 1 / margin;
    }
    breakdown[std::string(kSignalNames[i])] = Round4(c.score);
    if (c.failed) {
      ++m_signal_failed[i];
      out->reasons.push_back(c.reason);
      failed.push_back(c.reason);
      if (!out->detail.empty()) out->detail += "; ";
      out->detail += c.reason + ": " + c.detail;
    }
  }
  // A row that passes every signal scores 0.5 + 0.5 x the harmonic mean of its graded signals'
  // margins: a row near one threshold ranks low even when the others are far inside theirs (a mean
  // of every signal put nearly all passing rows at 0.95..1: the flag-only signals each add a 1).
  // The harmonic mean needs only division, which rounds the same natively and in wasm (log / exp
  // for a geometric mean need not). A failing row scores half the mean of its signals' scores, so
  // score >= 0.5 exactly when every signal passes.
  out->failed = !out->reasons.empty();
  if (out->failed) {
    out->score = n ? Round4(0.5 * sum / n) : 0.5;
  } else if (graded == 0) {
    out->score = 1.0;
  } else {
    out->score = at_threshold ? 0.5 : Round4(0.5 + 0.5 * graded / inverse_margins);
  }
  if (out->failed) {
    out->reason = out->reasons.front();
  } else if (m_min_score > 0 && out->score < m_min_score) {
    out->failed = true;
    out->reason = "low_quality_score";
    out->reasons.push_back(out->reason);
    failed.push_back(out->reason);
    out->detail = "score " + FormatNumber(out->score) + " < " + FormatNumber(m_min_score);
    ++m_low_score_rows;
  }
  out->annotation = json{{"score", out->score}, {"failed", std::move(failed)}, {"values", std::move(values)},
                         {"breakdown", std::move(breakdown)}};
  if (!languages.is_null()) out->annotation["languages"] = std::move(languages);

  // Report.
  ++m_rows;
  if (out->failed) ++m_failed_rows;
  for (const std::string& r : out->reasons) {
    auto it = std::find_if(m_reason_counts.begin(), m_reason_counts.end(), [&](const auto& p) { return p.first == r; });
    if (it == m_reason_counts.end()) {
      m_reason_counts.emplace_back(r, 1);
    } else {
      ++it->second;
    }
  }
  for (const auto& [measure, v] : ev.recorded()) AddHistogram(measure, v);
  AddHistogram("score", out->score);
}

// [SECTION] report

void QualityFilter::AddHistogram(std::string_view measure, double value) {
  Histogram* h = nullptr;
  for (Histogram& x : m_histograms) {
    if (x.measure == measure) h = &x;
  }
  if (!h) {
    m_histograms.push_back(Histogram{std::string(measure), EdgesFor(measure), {}});
    h = &m_histograms.back();
    h->counts.assign(h->edges.size(), 0);
  }
  size_t bin = 0;
  for (size_t i = 0; i < h->edges.size(); ++i) {
    if (value >= h->edges[i]) bin = i;
  }
  ++h->counts[bin];
}

json QualityFilter::Report() const {
  json signals = json::object();
  for (size_t i = 0; i < kQualitySignalCount; ++i) {
    if (!m_cfg.enabled[i]) continue;
    signals[std::string(kSignalNames[i])] = json{{"failed", m_signal_failed[i]}, {"not_applicable", m_signal_na[i]}};
  }
  json reasons = json::object();
  for (const auto& [r, c] : m_reason_counts) reasons[r] = c;
  json hist = json::object();
  for (const Histogram& h : m_histograms) hist[h.measure] = json{{"edges", h.edges}, {"counts", h.counts}};
  return json{{"rows", m_rows},       {"failed_rows", m_failed_rows}, {"low_score_rows", m_low_score_rows},
              {"signals", signals},   {"reasons", reasons},           {"histograms", hist}};
}

}  // namespace winnow
