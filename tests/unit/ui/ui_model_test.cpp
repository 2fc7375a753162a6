// Tests of the studio's non-drawing parts: share links, chunked loading (which must give exactly
// what a plain read of the same bytes gives), the replay of loaded rows and problems in file order,
// search, the word diff and number formatting.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "io/memory_io.h"
#include "ui/chunk_source.h"
#include "ui/dataset_loader.h"
#include "ui/loaded_source.h"
#include "ui/row_search.h"
#include "ui/share_link.h"
#include "ui/text_diff.h"

namespace winnow::ui {
namespace {

double g_fake_clock = 0;
double FakeNow() { return g_fake_clock += 0.001; }

TEST(ShareLink, Base64UrlMatchesRfc4648Vectors) {
  // RFC 4648 §10 vectors, in the URL-safe alphabet without padding.
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foob"), "Zm9vYg");
  EXPECT_EQ(Base64UrlEncode("fooba"), "Zm9vYmE");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");  // the two characters that differ from base64
  EXPECT_EQ(*Base64UrlDecode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(*Base64UrlDecode("Zm9vYg=="), "foob");
  EXPECT_EQ(*Base64UrlDecode("-_8"), "\xfb\xff");
  EXPECT_FALSE(Base64UrlDecode("Zm9v!").has_value());
  EXPECT_FALSE(Base64UrlDecode("Z").has_value());
}

TEST(ShareLink, PipelineRoundTripsThroughTheFragment) {
  std::string pipeline = R"({"version":1,"name":"sft-default","steps":[{"type":"dedup.near","params":{"threshold":0.8}}],"note":"ünïcode ✓"})";
  std::string frag = ShareFragment(pipeline);
  ASSERT_EQ(frag.rfind("#pipeline=", 0), 0u);
  EXPECT_EQ(frag.substr(10).find_first_of("+/= "), std::string::npos) << "fragment must be URL-safe: " << frag;
  EXPECT_EQ(*PipelineFromFragment(frag), pipeline);
  EXPECT_EQ(*PipelineFromFragment("#x=1&" + frag.substr(1) + "&y=2"), pipeline);
  EXPECT_FALSE(PipelineFromFragment("#preset=sft-default").has_value());
}

TEST(ChunkQueueSource, DeliversPushedBytesInOrderAndReleasesChunks) {
  ChunkQueueSource src("x.jsonl", 10);
  EXPECT_FALSE(src.Readable(1));
  src.Push("abc", 3);
  src.Push("defg", 4);
  EXPECT_EQ(src.Buffered(), 7u);
  EXPECT_TRUE(src.Readable(7));
  EXPECT_FALSE(src.Readable(8));
  char buf[5];
  auto n = src.Read(buf, 5);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buf, n.value()), "abcde");
  EXPECT_EQ(src.Buffered(), 2u);
  src.Finish();
  EXPECT_TRUE(src.Readable(1000));
  n = src.Read(buf, 5);
  EXPECT_EQ(std::string(buf, n.value()), "fg");
  n = src.Read(buf, 5);
  EXPECT_EQ(n.value(), 0u);
  EXPECT_EQ(src.Delivered(), 7u);
}

TEST(ChunkQueueSource, FailureBecomesAnIoErrorAfterTheBufferedBytes) {
  ChunkQueueSource src("x.jsonl.gz");
  src.Push("ab", 2);
  src.Fail("cannot decompress: bad header");
  char buf[8];
  EXPECT_EQ(src.Read(buf, 8).value(), 2u);
  auto r = src.Read(buf, 8);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "io_error");
  EXPECT_NE(r.error().message.find("bad header"), std::string::npos);
}

// A JSONL file with good rows and two broken ones.
std::string SampleJsonl(int rows) {
  std::string s;
  for (int i = 0; i < rows; ++i) {
    if (i == 3) s += "{\"instruction\": broken\n";
    if (i == rows - 1) s += "not json at all\n";
    s += "{\"instruction\":\"Say " + std::to_string(i) + "\",\"input\":\"\",\"output\":\"Number " + std::to_string(i) +
         " is " + (i % 2 ? "odd" : "even") + ".\"}\n";
  }
  return s;
}

void LoadAll(DatasetLoader& l) {
  while (l.Pump(0.05, FakeNow)) {
  }
}

TEST(DatasetLoader, ChunkedLoadEqualsAPlainLoad) {
  std::string text = SampleJsonl(500);
  DatasetLoader plain;
  ReadOptions opts;
  opts.kind = FileKind::Jsonl;
  plain.Start(std::make_unique<MemorySource>("a.jsonl", text), opts, nullptr);
  LoadAll(plain);
  ASSERT_EQ(plain.state(), DatasetLoader::State::Done) << plain.error();
  EXPECT_EQ(plain.dataset().size(), 500u);
  EXPECT_EQ(plain.problems().size(), 2u);
  EXPECT_EQ(plain.format(), Format::Alpaca);

  // The same bytes pushed in awkward 7-byte chunks, the loader pumped between pushes.
  DatasetLoader chunked;
  auto src = std::make_unique<ChunkQueueSource>("a.jsonl", text.size());
  ChunkQueueSource* raw = src.get();
  chunked.Start(std::move(src), opts, raw);
  for (size_t off = 0; off < text.size(); off += 7) {
    raw->Push(text.data() + off, std::min<size_t>(7, text.size() - off));
    chunked.Pump(0.05, FakeNow);
    EXPECT_EQ(chunked.dataset().size(), 0u) << "read before enough bytes were buffered";
  }
  raw->Finish();
  LoadAll(chunked);
  ASSERT_EQ(chunked.state(), DatasetLoader::State::Done) << chunked.error();
  ASSERT_EQ(chunked.dataset().size(), plain.dataset().size());
  for (size_t i = 0; i < plain.dataset().size(); ++i) EXPECT_EQ(chunked.dataset().Get(i), plain.dataset().Get(i));
  ASSERT_EQ(chunked.problems().size(), 2u);
  EXPECT_EQ(chunked.problems()[0].origin.line, 4u);
  EXPECT_EQ(chunked.ProblemPositions(), plain.ProblemPositions());
}

TEST(DatasetLoader, MemoryCapStopsWithAClearMessage) {
  std::string text = SampleJsonl(5000);
  DatasetLoader l;
  l.Start(std::make_unique<MemorySource>("big.jsonl", text), ReadOptions{}, nullptr, /*max_memory=*/4096);
  LoadAll(l);
  EXPECT_EQ(l.state(), DatasetLoader::State::Failed);
  EXPECT_NE(l.error().find("too large for a browser tab"), std::string::npos) << l.error();
  EXPECT_EQ(l.dataset().size(), 0u) << "the partial data is released";
}

TEST(LoadedSource, ReplaysRowsAndProblemsInFileOrder) {
  std::string text = SampleJsonl(10);
  DatasetLoader l;
  l.Start(std::make_unique<MemorySource>("dir/a.jsonl", text), ReadOptions{}, nullptr);
  LoadAll(l);
  ASSERT_EQ(l.state(), DatasetLoader::State::Done);
  // What a reader over the same bytes yields, in order.
  MemorySource again("dir/a.jsonl", text);
  auto reader = ExampleReader::Open(again, ReadOptions{});
  ASSERT_TRUE(reader.ok());
  auto src = MakeLoadedSource(l);
  EXPECT_EQ(src->Names().at(0), "a.jsonl");
  for (;;) {
    Example e1, e2;
    RowProblem p1, p2;
    auto a = reader.value()->Read(&e1, &p1);
    auto b = src->Read(&e2, &p2);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a.value(), b.value());
    if (a.value() == ExampleReader::Next::End) break;
    if (a.value() == ExampleReader::Next::Row) EXPECT_EQ(e1, e2);
    else EXPECT_EQ(p1.origin, p2.origin);
  }
  EXPECT_EQ(src->Inputs().at(0).rows, 10u);
  EXPECT_EQ(src->Inputs().at(0).problems, 2u);
}

TEST(RowSearch, SubstringRegexCaseAndFields) {
  std::string text = SampleJsonl(100);
  DatasetLoader l;
  l.Start(std::make_unique<MemorySource>("a.jsonl", text), ReadOptions{}, nullptr);
  LoadAll(l);
  ASSERT_EQ(l.state(), DatasetLoader::State::Done);
  RowSearch s;
  std::string err;
  auto run = [&](SearchQuery q) {
    EXPECT_TRUE(s.Start(l.dataset(), q, &err)) << err;
    while (s.Step(7)) {
    }
    return s.Matches().size();
  };
  EXPECT_EQ(run({"odd", false, false, kFieldAll}), 50u);  // rows 1, 3, ..., 99 (the broken lines are extra)
  EXPECT_EQ(run({"ODD", false, false, kFieldAll}), 50u);
  EXPECT_EQ(run({"ODD", false, true, kFieldAll}), 0u);
  EXPECT_EQ(run({"odd", false, false, kFieldUser}), 0u) << "'odd' is only in the assistant's output";
  EXPECT_EQ(run({"^Say [0-9]$", true, false, kFieldUser}), 10u);
  EXPECT_FALSE(s.Start(l.dataset(), {"(unclosed", true, false, kFieldAll}, &err));
  EXPECT_NE(err.find("bad regular expression"), std::string::npos);
}

// A search sliced by a time budget finds exactly what one unsliced pass finds, in row order, and a
// new query started mid-search replaces the old one completely (no stale matches, no lost rows).
TEST(RowSearch, TimeSlicedSearchEqualsOneShotAndRestarts) {
  std::string text = SampleJsonl(3000);
  DatasetLoader l;
  l.Start(std::make_unique<MemorySource>("a.jsonl", text), ReadOptions{}, nullptr);
  LoadAll(l);
  ASSERT_EQ(l.state(), DatasetLoader::State::Done);
  const Dataset& ds = l.dataset();
  std::string err;
  auto one_shot = [&](const SearchQuery& q) {
    RowSearch s;
    EXPECT_TRUE(s.Start(ds, q, &err)) << err;
    EXPECT_FALSE(s.Step(ds.size())) << "one step over every row finishes";
    return s.Matches();
  };
  // Each clock read advances 1 ms and the budget is 5 ms: a slice is a few dozen rows.
  double clock = 0;
  auto now = [&clock] { return clock += 0.001; };
  const SearchQuery queries[] = {{"odd", false, false, kFieldAll}, {"NUMBER 1", false, false, kFieldAssistant},
                                 {"Say [0-9]+7$", true, false, kFieldUser}, {"Number", false, true, kFieldAll}};
  for (const SearchQuery& q : queries) {
    std::vector<uint32_t> expect = one_shot(q);
    ASSERT_FALSE(expect.empty()) << q.text;
    RowSearch s;
    ASSERT_TRUE(s.Start(ds, q, &err)) << err;
    int slices = 0;
    size_t last_scanned = 0;
    while (s.Step(0.005, now)) {
      ++slices;
      EXPECT_GT(s.Scanned(), last_scanned) << "every slice makes progress";
      last_scanned = s.Scanned();
      EXPECT_LT(s.Scanned(), ds.size());
    }
    EXPECT_GT(slices, 10) << "the budget sliced the search";
    EXPECT_TRUE(s.Done());
    EXPECT_EQ(s.Matches(), expect) << q.text;
  }
  // Restart: a second query replaces a half-done first one; then the first runs again from row 0.
  RowSearch s;
  ASSERT_TRUE(s.Start(ds, queries[0], &err));
  s.Step(0.005, now);
  s.Step(0.005, now);
  ASSERT_FALSE(s.Done());
  ASSERT_FALSE(s.Matches().empty());
  ASSERT_TRUE(s.Start(ds, queries[2], &err));
  EXPECT_EQ(s.Scanned(), 0u);
  EXPECT_TRUE(s.Matches().empty()) << "the old query's matches are gone";
  while (s.Step(0.005, now)) {
  }
  EXPECT_EQ(s.Matches(), one_shot(queries[2]));
  EXPECT_EQ(s.query(), queries[2]);
  ASSERT_TRUE(s.Start(ds, queries[0], &err));
  while (s.Step(0.005, now)) {
  }
  EXPECT_EQ(s.Matches(), one_shot(queries[0]));
  // A budget of zero still scans some rows per call (no endless loop of empty slices).
  ASSERT_TRUE(s.Start(ds, queries[1], &err));
  EXPECT_TRUE(s.Step(0.0, now));
  EXPECT_GT(s.Scanned(), 0u);
}

// The page writes each File slice straight into a staged chunk: the loader reads exactly the bytes
// a plain load reads, and an uncommitted or partly committed stage queues only what was committed.
TEST(ChunkQueueSource, StagedChunksLoadLikeAPlainLoad) {
  std::string text = SampleJsonl(400);
  ReadOptions opts;
  opts.kind = FileKind::Jsonl;
  DatasetLoader plain;
  plain.Start(std::make_unique<MemorySource>("a.jsonl", text), opts, nullptr);
  LoadAll(plain);
  ASSERT_EQ(plain.state(), DatasetLoader::State::Done);

  DatasetLoader staged;
  auto src = std::make_unique<ChunkQueueSource>("a.jsonl", text.size());
  ChunkQueueSource* raw = src.get();
  staged.Start(std::move(src), opts, raw);
  raw->BeginChunk(100);  // abandoned: a new stage replaces it and nothing of it is queued
  for (size_t off = 0; off < text.size(); off += 1000) {
    size_t n = std::min<size_t>(1000, text.size() - off);
    char* p = raw->BeginChunk(n + 24);  // larger than needed: only the committed bytes count
    std::memcpy(p, text.data() + off, n);
    raw->CommitChunk(n);
  }
  EXPECT_EQ(raw->Buffered(), text.size());
  raw->CommitChunk(0);
  raw->Finish();
  LoadAll(staged);
  ASSERT_EQ(staged.state(), DatasetLoader::State::Done) << staged.error();
  ASSERT_EQ(staged.dataset().size(), plain.dataset().size());
  for (size_t i = 0; i < plain.dataset().size(); ++i) EXPECT_EQ(staged.dataset().Get(i), plain.dataset().Get(i));
  EXPECT_EQ(staged.ProblemPositions(), plain.ProblemPositions());
}

TEST(TextDiff, MarksCommonWordsInOrder) {
  WordDiff d = DiffWords("the quick brown fox jumps", "the slow brown fox sleeps");
  EXPECT_EQ(d.common_words, 3u);
  ASSERT_EQ(d.left.size(), 5u);
  EXPECT_TRUE(d.left[0].common);
  EXPECT_FALSE(d.left[1].common);
  EXPECT_TRUE(d.left[3].common);
  EXPECT_FALSE(d.right[4].common);
  EXPECT_EQ(d.right[4].text, "sleeps");
}

TEST(Formatting, BytesAndCountsDoNotDependOnLocaleOrFloats) {
  EXPECT_EQ(HumanBytes(0), "0 B");
  EXPECT_EQ(HumanBytes(999), "999 B");
  EXPECT_EQ(HumanBytes(1000), "1.0 KB");
  EXPECT_EQ(HumanBytes(1234567), "1.2 MB");
  EXPECT_EQ(HumanBytes(1000000000), "1.0 GB");
  EXPECT_EQ(GroupedCount(0), "0");
  EXPECT_EQ(GroupedCount(999), "999");
  EXPECT_EQ(GroupedCount(1000), "1,000");
  EXPECT_EQ(GroupedCount(1234567), "1,234,567");
  EXPECT_EQ(CountOf(0, "match", "matches"), "0 matches");
  EXPECT_EQ(CountOf(1, "match", "matches"), "1 match");
  EXPECT_EQ(CountOf(1001, "row", "rows"), "1,001 rows");
}

}  // namespace
}  // namespace winnow::ui
