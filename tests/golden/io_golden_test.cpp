// Golden tests of reading and conversion.
//  1. tests/golden/io/<case>/input.* -> expected/<format>.jsonl and expected/<format>.rejected.jsonl
//     for every target format (committed, reviewed; WINNOW_REGENERATE=1 rewrites them).
//  2. Every dataset in ../shared/data: sniffed format, conversion to every format with row
//     conservation, same-format round trip, and an XXH3 manifest of every output. The native run
//     writes the manifest; the wasm run computes its own and requires it to be byte-identical.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/hash.h"
#include "io/memory_io.h"
#include "io/reader.h"
#include "io/stdio_file.h"
#include "io/writer.h"

using namespace winnow;
namespace fs = std::filesystem;

namespace {

const Format kTargets[] = {Format::Alpaca, Format::ShareGPT, Format::Messages, Format::Preference, Format::KTO, Format::Text};

struct Converted {
  std::string out, rejects;
  uint64_t read = 0, written = 0, rejected = 0;
  Format source = Format::Unknown;
  std::string open_error;
  std::vector<Example> rows;  // the examples read (for round trips)
};

Converted Convert(FileSource& src, Format to, const ReadOptions& opts = {}) {
  Converted c;
  auto r = ExampleReader::Open(src, opts);
  if (!r.ok()) {
    c.open_error = r.error().code + ": " + r.error().message;
    return c;
  }
  auto& reader = *r.value();
  c.source = reader.format();
  MemorySink sink;
  auto w = ExampleWriter::Create(sink, FileKind::Jsonl, to);
  Example ex;
  RowProblem p;
  std::string why;
  while (true) {
    auto n = reader.Read(&ex, &p);
    if (!n.ok() || n.value() == ExampleReader::Next::End) break;
    ++c.read;
    if (n.value() == ExampleReader::Next::Problem) {
      EncodeProblem(p, src.Name(), "read", &c.rejects);
      c.rejects.push_back('\n');
      ++c.rejected;
      continue;
    }
    c.rows.push_back(ex);
    Status io;
    if (w->Write(ex, &why, &io)) {
      ++c.written;
    } else {
      RowProblem u;
      u.reason = "unconvertible";
      u.detail = why;
      u.origin = ex.origin;
      std::string w2;
      EncodeExample(ex, c.source, &u.raw, &w2);
      EncodeProblem(u, src.Name(), "convert", &c.rejects);
      c.rejects.push_back('\n');
      ++c.rejected;
    }
  }
  EXPECT_TRUE(w->Finish().ok());
  c.out = sink.data();
  return c;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void WriteFile(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary);
  f << s;
}

bool Regenerate() {
  const char* v = std::getenv("WINNOW_REGENERATE");
  return v && std::string(v) == "1";
}

// Strips what legitimately differs between a row and its re-read copy.
Example Comparable(Example e) {
  e.id = 0;
  e.origin = Origin{};
  e.source_format = Format::Unknown;
  return e;
}

}  // namespace

TEST(GoldenIo, CommittedCases) {
  fs::path root = fs::path(WINNOW_SOURCE_DIR) / "tests/golden/io";
  size_t cases = 0;
  std::vector<fs::path> dirs;
  for (const auto& d : fs::directory_iterator(root)) {
    if (d.is_directory()) dirs.push_back(d.path());
  }
  std::sort(dirs.begin(), dirs.end());
  for (const fs::path& dir : dirs) {
    fs::path input;
    for (const auto& f : fs::directory_iterator(dir)) {
      if (f.path().filename().string().rfind("input.", 0) == 0) input = f.path();
    }
    ASSERT_FALSE(input.empty()) << dir;
    ++cases;
    std::string data = ReadFile(input);
    for (Format to : kTargets) {
      MemorySource src(input.filename().string(), data);
      Converted c = Convert(src, to);
      ASSERT_EQ(c.open_error, "") << dir;
      EXPECT_EQ(c.read, c.written + c.rejected) << dir << " -> " << FormatName(to);
      fs::path exp_out = dir / "expected" / (std::string(FormatName(to)) + ".jsonl");
      fs::path exp_rej = dir / "expected" / (std::string(FormatName(to)) + ".rejected.jsonl");
      if (Regenerate()) {
        WriteFile(exp_out, c.out);
        WriteFile(exp_rej, c.rejects);
        continue;
      }
      ASSERT_TRUE(fs::exists(exp_out)) << exp_out << " missing; run with WINNOW_REGENERATE=1 and review";
      EXPECT_EQ(c.out, ReadFile(exp_out)) << exp_out;
      EXPECT_EQ(c.rejects, ReadFile(exp_rej)) << exp_rej;
    }
  }
  EXPECT_GE(cases, 6u);
}

namespace {

struct SharedFile {
  const char* path;
  Format expected;      // sniffed format
  const char* fields;   // --field renames "canon=source", or ""
  Format forced;        // forced format, or Unknown
};

const SharedFile kShared[] = {
    {"llamafactory/alpaca_en_demo.json", Format::Alpaca, "", Format::Unknown},
    {"llamafactory/alpaca_zh_demo.json", Format::Alpaca, "", Format::Unknown},
    {"llamafactory/identity.json", Format::Alpaca, "", Format::Unknown},
    {"llamafactory/dpo_en_demo.json", Format::ShareGPT, "", Format::Unknown},
    {"llamafactory/glaive_toolcall_en_demo.json", Format::ShareGPT, "", Format::Unknown},
    {"llamafactory/kto_en_demo.json", Format::KTO, "", Format::Unknown},
    {"llamafactory/v1_sft_demo.jsonl", Format::Messages, "", Format::Unknown},
    {"llamafactory/c4_demo.jsonl", Format::Text, "", Format::Unknown},
    {"fastchat/dummy_conversation.json", Format::ShareGPT, "", Format::Unknown},
    {"oasst/en_100_tree.jsonl", Format::Messages, "", Format::Unknown},
    {"gsm8k/train.jsonl", Format::Alpaca, "", Format::Unknown},
    {"gsm8k/test.jsonl", Format::Alpaca, "", Format::Unknown},
    {"fastchat/mt_bench_question.jsonl", Format::Unknown, "", Format::Unknown},  // questions only
    {"toxicity/labeled_data.csv", Format::Text, "text=tweet", Format::Text},
};

}  // namespace

TEST(GoldenIo, SharedDataConversionMatrix) {
  fs::path data(WINNOW_SHARED_DATA);
  if (!fs::exists(data / "README.md")) GTEST_SKIP() << "shared data not found at " << data << "; skipping";
  std::string manifest;
  for (const SharedFile& f : kShared) {
    fs::path path = data / f.path;
    ASSERT_TRUE(fs::exists(path)) << path;
    ReadOptions opts;
    opts.format = f.forced;
    std::string fields = f.fields;
    if (!fields.empty()) {
      size_t eq = fields.find('=');
      opts.fields.emplace_back(fields.substr(0, eq), fields.substr(eq + 1));
    }
    if (f.expected == Format::Unknown) {
      // Not a training format: opening must fail with a message that names the fields seen.
      auto src = OpenStdioSource(path.string());
      ASSERT_TRUE(src.ok());
      Converted c = Convert(*src.value(), Format::Messages, opts);
      EXPECT_NE(c.open_error.find("unknown_format"), std::string::npos) << f.path << ": " << c.open_error;
      EXPECT_NE(c.open_error.find("turns"), std::string::npos) << c.open_error;
      continue;
    }
    Converted own;
    for (Format to : kTargets) {
      auto src = OpenStdioSource(path.string());
      ASSERT_TRUE(src.ok());
      Converted c = Convert(*src.value(), to, opts);
      ASSERT_EQ(c.open_error, "") << f.path;
      EXPECT_EQ(c.source, f.expected) << f.path;
      EXPECT_GT(c.read, 0u) << f.path;
      // Row conservation, always.
      EXPECT_EQ(c.read, c.written + c.rejected) << f.path << " -> " << FormatName(to);
      char hex[16];
      HexU64(Hash64(c.out), hex);
      char hex2[16];
      HexU64(Hash64(c.rejects), hex2);
      manifest += std::string(f.path) + " " + std::string(FormatName(to)) + " " + std::to_string(c.written) + " " +
                  std::to_string(c.rejected) + " " + std::string(hex, 16) + " " + std::string(hex2, 16) + "\n";
      if (to == f.expected) own = std::move(c);
    }
    // Same-format round trip: every row converts to its own format, and reads back identical.
    EXPECT_EQ(own.rejected, 0u) << f.path << ": rows lost in a same-format round trip:\n"
                                << own.rejects.substr(0, 2000);
    MemorySource back("roundtrip.jsonl", own.out);
    ReadOptions ro;
    ro.format = f.expected;
    Converted again = Convert(back, f.expected, ro);
    ASSERT_EQ(again.rows.size(), own.rows.size()) << f.path;
    size_t mismatches = 0;
    for (size_t i = 0; i < own.rows.size(); ++i) {
      if (!(Comparable(own.rows[i]) == Comparable(again.rows[i]))) {
        if (++mismatches <= 3) ADD_FAILURE() << f.path << " row " << i << " differs after a round trip";
      }
    }
    EXPECT_EQ(again.out, own.out) << f.path << ": second round trip is not byte-stable";
  }
  // The manifest: native writes it, wasm must match it byte for byte.
  fs::path dir = fs::path(WINNOW_SOURCE_DIR) / "build" / "golden-hashes";
  std::string kind = WINNOW_BUILD_KIND;
  WriteFile(dir / ("io_" + kind + ".txt"), manifest);
  if (kind == "wasm") {
    fs::path native = dir / "io_native.txt";
    ASSERT_TRUE(fs::exists(native)) << native << " is missing: run the native test suite first (scripts/test.sh does)";
    EXPECT_EQ(manifest, ReadFile(native)) << "wasm outputs differ from native outputs";
  }
}

TEST(GoldenIo, LlamaFactoryDatasetInfoMappings) {
  fs::path dir = fs::path(WINNOW_SHARED_DATA) / "llamafactory";
  if (!fs::exists(dir / "dataset_info.json")) GTEST_SKIP() << "shared data not found at " << dir << "; skipping";
  std::string info = ReadFile(dir / "dataset_info.json");
  struct Case {
    const char* entry;
    const char* file;
    Format format;
    size_t rows;
  };
  const Case cases[] = {{"alpaca_en_demo", "alpaca_en_demo.json", Format::Alpaca, 999},
                        {"glaive_toolcall_en_demo", "glaive_toolcall_en_demo.json", Format::ShareGPT, 300},
                        {"dpo_en_demo", "dpo_en_demo.json", Format::ShareGPT, 300},
                        {"kto_en_demo", "kto_en_demo.json", Format::KTO, 300},
                        {"identity", "identity.json", Format::Alpaca, 91}};
  for (const Case& c : cases) {
    auto m = LoadColumnMapping(info, c.entry);
    ASSERT_TRUE(m.ok()) << c.entry << ": " << m.error().message;
    ReadOptions opts;
    opts.mapping = &m.value();
    auto src = OpenStdioSource((dir / c.file).string());
    ASSERT_TRUE(src.ok());
    Converted conv = Convert(*src.value(), Format::Messages, opts);
    ASSERT_EQ(conv.open_error, "") << c.entry;
    EXPECT_EQ(conv.source, c.format) << c.entry;
    EXPECT_EQ(conv.read, c.rows) << c.entry;
    // Read through the mapping, every row is readable; the sniffed read gives the same examples.
    size_t unreadable = 0;
    for (size_t pos = 0; (pos = conv.rejects.find("\"step\":\"read\"", pos)) != std::string::npos; ++pos) ++unreadable;
    EXPECT_EQ(unreadable, 0u) << c.entry << ": rows unreadable through the mapping\n" << conv.rejects.substr(0, 1000);
    auto src2 = OpenStdioSource((dir / c.file).string());
    Converted sniffed = Convert(*src2.value(), Format::Messages);
    ASSERT_EQ(sniffed.rows.size(), conv.rows.size()) << c.entry;
    for (size_t i = 0; i < conv.rows.size(); ++i) {
      Example a = Comparable(conv.rows[i]), b = Comparable(sniffed.rows[i]);
      a.shape = b.shape = 0;
      if (!(a == b)) {
        ADD_FAILURE() << c.entry << " row " << i << ": mapping and sniffing read different examples";
        break;
      }
    }
  }
}
