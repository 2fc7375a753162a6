// Property: for random raw JSONL files (every input format, rows of other formats mixed in, broken
// lines) and random pipelines drawn from the engine's deterministic steps with varied parameters,
// every non-blank input line ends in exactly one place: kept, or rejected with a step and a reason
// (read problems included). Checked line by line through annotations.jsonl ("annotations": "all"
// gives every row that was read as an example one line with its verdict) and rejected.jsonl, and
// by counts through report.json's per-step chain and the split files. The narrower
// conservation_property_test.cpp draws in-memory chat rows and a small step pool.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/memory_io.h"
#include "pipeline/pipeline_run.h"
#include "test_rows.h"

using namespace winnow;
using nlohmann::json;
using winnow::testing::RandomWords;

namespace {

std::vector<std::string> Lines(const ChunkedBytes* s) {
  std::vector<std::string> v;
  if (!s) return v;
  s->ForEachLine([&](std::string_view l) { v.emplace_back(l); });
  return v;
}

// Text with some personal data, near copies and odd bytes now and then, so the steps have work.
std::string Text(uint64_t* rng, const std::vector<std::string>& bases) {
  uint64_t k = SplitMix64(rng) % 20;
  if (k < 3 && !bases.empty()) return bases[SplitMix64(rng) % bases.size()];                       // exact copy
  if (k < 5 && !bases.empty()) return bases[SplitMix64(rng) % bases.size()] + " w" + std::to_string(k);  // near copy
  if (k == 5) return "";
  if (k == 6) return "   ";
  if (k == 7) return "mail me at jo.smith" + std::to_string(SplitMix64(rng) % 100) + "@example.com or call +1 415 555 2671";
  if (k == 8) return "As an AI language model, I cannot help with that.";
  if (k == 9) return "Der Kunde hat gestern angerufen und wollte wissen, wann die Lieferung kommt.";
  if (k == 10) return "line one\r\nline two\u00a0with\u200b odd spaces  \n\n\n\nend";
  if (k == 11) return "```python\nprint(1)\n";  // unbalanced code fence
  return RandomWords(SplitMix64(rng), 3 + int(SplitMix64(rng) % 60), 400);
}

std::string RawRow(int fmt, uint64_t* rng, const std::vector<std::string>& bases, uint64_t i) {
  const std::string a = Text(rng, bases), b = Text(rng, bases);
  json j;
  switch (fmt) {
    case 0:  // alpaca
      j = {{"instruction", a}, {"input", SplitMix64(rng) % 3 ? "" : Text(rng, bases)}, {"output", b}};
      break;
    case 1:  // sharegpt
      j = {{"conversations", json::array({{{"from", "human"}, {"value", a}}, {{"from", "gpt"}, {"value", b}}})}};
      if (SplitMix64(rng) % 4 == 0) j["conversations"].push_back({{"from", "human"}, {"value", Text(rng, bases)}});
      break;
    case 2:  // messages
      j = {{"messages", json::array({{{"role", "user"}, {"content", a}}, {{"role", "assistant"}, {"content", b}}})}};
      if (SplitMix64(rng) % 4 == 0) j["messages"].insert(j["messages"].begin(), {{"role", "system"}, {"content", "Be brief."}});
      break;
    case 3:  // preference
      j = {{"prompt", a}, {"chosen", b}, {"rejected", Text(rng, bases)}};
      break;
    default:  // text
      j = {{"text", a + " " + b}};
      break;
  }
  j["category"] = "c" + std::to_string(SplitMix64(rng) % 3);  // for the stratified split (meta)
  j["ts"] = "2024-01-" + std::to_string(10 + i % 20);          // for the time split
  return j.dump();
}

// A broken line: each must be rejected by the reader or by a step, never lost.
std::string Broken(uint64_t* rng) {
  switch (SplitMix64(rng) % 7) {
    case 0: return R"({"instruction": "cut off)";
    case 1: return "[1, 2, 3]";
    case 2: return "{}";
    case 3: return std::string("{\"text\": \"bad \xff\xfe utf8\"}");
    case 4: return R"({"messages": "not a list"})";
    case 5: return "not json at all";
    default: return R"({"conversations": [{"from": "human"}]})";
  }
}

}  // namespace

TEST(Conservation, RawFilesEveryFormatAndManySteps) {
  const char* pool[] = {
      R"({"type":"validate"})",
      R"({"type":"normalize"})",
      R"({"type":"pii.scrub"})",
      R"({"type":"pii.scrub","params":{"operator":"mask","roles":["user"]}})",
      R"({"type":"pii.scrub","params":{"operator":"pseudonym","pseudonym_key":"k"}})",
      R"({"type":"pii.scrub","params":{"max_hits":0}})",
      R"({"type":"filter.quality"})",
      R"({"type":"filter.quality","params":{"action":"flag"}})",
      R"({"type":"filter.language","params":{"action":"flag"}})",
      R"({"type":"filter.language","params":{"allowed":["en"]}})",
      R"({"type":"dedup.exact"})",
      R"({"type":"dedup.exact","params":{"view":"user"}})",
      R"({"type":"dedup.exact","params":{"view":"assistant","action":"flag"}})",
      R"({"type":"dedup.near","params":{"threshold":0.6}})",
      R"({"type":"dedup.near","params":{"threshold":0.7,"keep":"longest","shingle":"char","ngram":4}})",
      R"({"type":"dedup.near","params":{"threshold":0.7,"action":"flag","keep":"none"}})",
      R"({"type":"decontaminate","params":{"references":["ref.jsonl"],"ngram":5}})",
      R"({"type":"split","params":{"ratios":{"train":0.6,"validation":0.2,"test":0.2}}})",
      R"({"type":"split","params":{"method":"stratified","field":"category","ratios":{"train":0.5,"test":0.5}}})",
      R"({"type":"split","params":{"method":"time","field":"ts","ratios":{"train":0.8,"test":0.2}}})",
  };
  const size_t n_pool = sizeof(pool) / sizeof(pool[0]);
  const size_t first_split = n_pool - 3;
  uint64_t rng = 77;
  std::map<std::string, int> reasons_seen;  // over all trials: the property was exercised
  for (int trial = 0; trial < 30; ++trial) {
    // ---- the file
    const int fmt = int(SplitMix64(&rng) % 5);
    const size_t n_lines = SplitMix64(&rng) % 200;
    std::vector<std::string> bases;
    std::string file, ref;
    size_t nonblank = 0;
    for (size_t i = 0; i < n_lines; ++i) {
      uint64_t k = SplitMix64(&rng) % 25;
      std::string line;
      if (k == 0) {
        line = "";  // blank lines are skipped, not rows
      } else if (k == 1) {
        line = Broken(&rng);
      } else if (k == 2) {
        line = RawRow(int(SplitMix64(&rng) % 5), &rng, bases, i);  // another format mixed in
      } else {
        line = RawRow(fmt, &rng, bases, i);
        if (bases.size() < 40) bases.push_back(RandomWords(SplitMix64(&rng), 12, 400));
      }
      if (!line.empty()) ++nonblank;
      file += line + (SplitMix64(&rng) % 8 ? "\n" : "\r\n");
      if (i % 9 == 0 && !bases.empty()) ref += json{{"question", bases.back()}}.dump() + "\n";
    }
    if (SplitMix64(&rng) % 2 && !file.empty()) file.pop_back();  // no final line end
    // ---- the pipeline
    json steps = json::array();
    bool has_split = false;
    const size_t n_steps = SplitMix64(&rng) % 7;
    for (size_t k = 0; k < n_steps; ++k) {
      size_t pick = SplitMix64(&rng) % n_pool;
      if (pick >= first_split) {
        if (has_split) continue;
        has_split = true;
      }
      json s = json::parse(pool[pick]);
      s["id"] = "s" + std::to_string(k);
      steps.push_back(s);
    }
    // The split, when drawn, goes last (rows after it belong to no split).
    std::stable_sort(steps.begin(), steps.end(),
                     [](const json& a, const json& b) { return a["type"] != "split" && b["type"] == "split"; });
    json doc = {{"version", 1}, {"name", "prop-raw"}, {"seed", trial}, {"annotations", "all"}, {"steps", steps}};
    SCOPED_TRACE("trial " + std::to_string(trial) + " format " + std::to_string(fmt) + ": " + steps.dump());
    auto c = ParsePipeline(doc.dump());
    ASSERT_TRUE(c.ok()) << c.error().message;

    MemoryOutputs out;
    RunOptions opts;
    opts.batch_rows = 1 + SplitMix64(&rng) % 64;
    opts.read_file = [&](const std::string& p) -> Result<std::string> {
      if (p == "ref.jsonl") return ref;
      return Error{"io_error", "no such reference: " + p};
    };
    auto source = MakeFileListSource(
        {"in.jsonl"}, [&](const std::string& p) -> Result<std::unique_ptr<FileSource>> {
          return std::unique_ptr<FileSource>(new MemorySource(p, file));
        });
    auto s = RunPipeline(c.value(), std::move(source), &out, opts);
    if (nonblank == 0 && !s.ok()) continue;  // an empty file may be refused as having no format
    ASSERT_TRUE(s.ok()) << s.error().code << ": " << s.error().message;
    const RunSummary& sum = s.value();

    // ---- counts
    EXPECT_TRUE(sum.conserved) << sum.report["conservation"].dump();
    EXPECT_EQ(sum.kept + sum.rejected, nonblank);
    const std::vector<std::string> kept = Lines(out.Get("kept.jsonl")), rejected = Lines(out.Get("rejected.jsonl")),
                                   annotations = Lines(out.Get("annotations.jsonl"));
    EXPECT_EQ(kept.size(), sum.kept);
    EXPECT_EQ(rejected.size(), sum.rejected);
    size_t read_problems = 0;
    for (const std::string& l : rejected) read_problems += json::parse(l)["step"] == "read";
    EXPECT_EQ(sum.rows_read, nonblank);  // lines read, problems included
    uint64_t flow = sum.rows_read - read_problems, dropped = 0;
    for (const StepCounts& st : sum.steps) {
      EXPECT_EQ(st.in, flow);
      EXPECT_EQ(st.in, st.kept + st.dropped);
      flow = st.kept;
      dropped += st.dropped;
    }
    EXPECT_EQ(flow, sum.kept);
    EXPECT_EQ(dropped + read_problems, sum.rejected);
    if (has_split) {
      EXPECT_EQ(Lines(out.Get("train.jsonl")).size() + Lines(out.Get("validation.jsonl")).size() +
                    Lines(out.Get("test.jsonl")).size(),
                sum.kept);
    }

    // ---- line by line: every non-blank line once, in one place, with a reason when rejected
    std::map<uint64_t, std::string> where;  // source line -> "kept" / "rejected:<step>"
    size_t kept_annotated = 0;
    for (const std::string& l : annotations) {
      json a = json::parse(l);
      const uint64_t line = a["line"].get<uint64_t>();
      if (a["verdict"] == "kept") {
        EXPECT_TRUE(where.emplace(line, "kept").second) << "line " << line << " annotated twice";
        ++kept_annotated;
      } else {
        EXPECT_EQ(a["verdict"], "dropped") << l;
      }
    }
    EXPECT_EQ(kept_annotated, kept.size()) << "every kept row has its annotation line";
    for (const std::string& l : rejected) {
      json r = json::parse(l);
      const uint64_t line = r["line"].get<uint64_t>();
      ASSERT_TRUE(r.contains("step") && r.contains("reason")) << l;
      EXPECT_FALSE(r["reason"].get<std::string>().empty()) << l;
      EXPECT_TRUE(r.contains("offset")) << l;
      EXPECT_TRUE(r.contains("raw") || r.contains("row")) << "a rejected row carries its data: " << l;
      EXPECT_TRUE(where.emplace(line, "rejected:" + r["step"].get<std::string>()).second)
          << "line " << line << " is in two outputs: " << where[line] << " and " << l;
      ++reasons_seen[r["step"].get<std::string>() + "/" + r["reason"].get<std::string>()];
    }
    EXPECT_EQ(where.size(), nonblank) << "a line is missing from every output";
    // Line numbers are the file's own (blank lines counted, CRLF or not): each is in range.
    if (!where.empty()) {
      EXPECT_GE(where.begin()->first, 1u);
      EXPECT_LE(where.rbegin()->first, n_lines);
    }
  }
  // The trials reached the reader's rejections and several steps' drops.
  EXPECT_GT(reasons_seen.size(), 5u);
  bool read_problem = false;
  for (const auto& [k, n] : reasons_seen) read_problem = read_problem || k.rfind("read/", 0) == 0;
  EXPECT_TRUE(read_problem);
}
