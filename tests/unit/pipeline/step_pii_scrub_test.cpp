// pii.scrub as a pipeline step: params validation, operators, scope by field and role, alpaca
// input split, drop over max_hits, and a report that never shows a raw value or the key.
#include <gtest/gtest.h>

#include <memory>

#include "pipeline/step.h"

namespace winnow {
namespace {

std::unique_ptr<Step> Make(const nlohmann::json& params, Status* st = nullptr) {
  const StepInfo* info = FindStep("pii.scrub");
  EXPECT_NE(info, nullptr);
  if (!info) return nullptr;
  auto s = info->make();
  Status r = s->Configure(params);
  if (st) *st = r;
  else EXPECT_TRUE(r.ok()) << r.error().message;
  return s;
}

Row MakeRow(std::vector<Message> msgs, uint64_t line = 1) {
  Row r;
  r.ex.messages = std::move(msgs);
  r.ex.source_format = Format::Messages;
  r.ex.origin.line = line;
  return r;
}

void RunRows(Step& s, std::vector<Row>& rows) {
  std::vector<Row*> ptrs;
  for (Row& r : rows) ptrs.push_back(&r);
  StepContext ctx;
  ctx.step_id = "scrub";
  s.Process(std::span<Row*>(ptrs), ctx);
  s.Finish({}, ctx);
}

TEST(PiiScrubStep, Registered) { ASSERT_NE(FindStep("pii.scrub"), nullptr); }

TEST(PiiScrubStep, BadParamsNameTheKey) {
  Status st;
  Make({{"operator", "redact"}}, &st);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("operator"), std::string::npos);
  EXPECT_NE(st.error().message.find("pseudonym"), std::string::npos);  // lists allowed values
  Make({{"entities", {"EMAIL", "PASSPORT"}}}, &st);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("PASSPORT"), std::string::npos);
  Make({{"fields", {"body"}}}, &st);
  EXPECT_FALSE(st.ok());
  Make({{"roles", {"robot"}}}, &st);
  EXPECT_FALSE(st.ok());
  Make({{"operator", "pseudonym"}}, &st);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("pseudonym_key"), std::string::npos);
  Make({{"min_confidence", 101}}, &st);
  EXPECT_FALSE(st.ok());
  Make({{"no_such_key", 1}}, &st);
  EXPECT_FALSE(st.ok());
  Make({{"mask_char", "**"}}, &st);
  EXPECT_FALSE(st.ok());
}

TEST(PiiScrubStep, DefaultReplacesEverywhere) {
  auto s = Make(nlohmann::json::object());
  std::vector<Row> rows;
  rows.push_back(MakeRow({{Role::System, "Be nice."},
                          {Role::User, "I'm jane@example.com, SSN 536-22-8726."},
                          {Role::Assistant, "Noted, I will call (415) 555-2671."}}));
  RunRows(*s, rows);
  EXPECT_EQ(rows[0].ex.messages[0].content, "Be nice.");
  EXPECT_EQ(rows[0].ex.messages[1].content, "I'm [EMAIL], SSN [US_SSN].");
  EXPECT_EQ(rows[0].ex.messages[2].content, "Noted, I will call [PHONE].");
  EXPECT_FALSE(rows[0].dropped());
  nlohmann::json rep = s->Report();
  EXPECT_EQ(rep["hits"], 3);
  EXPECT_EQ(rep["rows_with_pii"], 1);
  EXPECT_EQ(rep["by_type"]["EMAIL"], 1);
  EXPECT_EQ(rep["by_field"]["messages.user"], 2);
  EXPECT_EQ(rep["by_field"]["messages.assistant"], 1);
  std::string dumped = rep.dump();
  EXPECT_EQ(dumped.find("jane@example.com"), std::string::npos);
  EXPECT_EQ(dumped.find("536-22-8726"), std::string::npos);
  EXPECT_NE(dumped.find("j***@*******.***"), std::string::npos);
  EXPECT_EQ(rep["examples"].size(), 3u);
}

TEST(PiiScrubStep, RolesAndEntitiesScope) {
  auto s = Make({{"roles", {"user"}}, {"entities", {"EMAIL"}}});
  std::vector<Row> rows;
  rows.push_back(MakeRow({{Role::User, "a@example.com 536-22-8726"}, {Role::Assistant, "b@example.com"}}));
  RunRows(*s, rows);
  EXPECT_EQ(rows[0].ex.messages[0].content, "[EMAIL] 536-22-8726");
  EXPECT_EQ(rows[0].ex.messages[1].content, "b@example.com");
}

TEST(PiiScrubStep, ExcludeGroup) {
  auto s = Make({{"exclude", {"NETWORK"}}});
  std::vector<Row> rows;
  rows.push_back(MakeRow({{Role::User, "a@example.com from 203.0.113.7"}}));
  RunRows(*s, rows);
  EXPECT_EQ(rows[0].ex.messages[0].content, "[EMAIL] from 203.0.113.7");
}

TEST(PiiScrubStep, TextMetaAndPreference) {
  auto s = Make({{"fields", {"text", "meta", "chosen"}}});
  std::vector<Row> rows(1);
  rows[0].ex.has_text = true;
  rows[0].ex.text = "reach me at a@example.com";
  rows[0].ex.meta = R"({"author":"b@example.com","n":4111111111111111})";
  rows[0].ex.chosen = {Message{Role::Assistant, "c@example.com"}};
  rows[0].ex.rejected = {Message{Role::Assistant, "d@example.com"}};
  RunRows(*s, rows);
  EXPECT_EQ(rows[0].ex.text, "reach me at [EMAIL]");
  // A number token that is a hit becomes a string, so the meta stays valid JSON.
  EXPECT_EQ(rows[0].ex.meta, R"({"author":"[EMAIL]","n":"[CREDIT_CARD]"})");
  EXPECT_FALSE(nlohmann::json::parse(rows[0].ex.meta, nullptr, false).is_discarded());
  EXPECT_EQ(rows[0].ex.chosen[0].content, "[EMAIL]");
  EXPECT_EQ(rows[0].ex.rejected[0].content, "d@example.com");  // not in fields
}

// By default tool-call arguments and the kept source fields are scrubbed too, and JSON text stays
// valid JSON whatever the operator: hits across an escape or a quote are left, numbers quoted.
TEST(PiiScrubStep, DefaultScrubsToolCallsAndMetaAsValidJson) {
  for (const char* op : {"replace", "mask", "pseudonym"}) {
    SCOPED_TRACE(op);
    nlohmann::json params = {{"operator", op}};
    if (std::string(op) == "pseudonym") params["pseudonym_key"] = "k";
    auto s = Make(params);
    std::vector<Row> rows;
    rows.push_back(MakeRow({{Role::User, "Mail my boss."}, {Role::Assistant, ""}}));
    rows[0].ex.messages[1].tool_calls =
        R"([{"name":"send_email","arguments":{"to":"boss.person@example.com","cc":"x\"y@example.com","phone":4155552671}}])";
    rows[0].ex.meta = R"({"contact phone":"(415) 555-2671","id":"a1b2c3","n":[4111111111111111, 2]})";
    RunRows(*s, rows);
    const std::string& tc = rows[0].ex.messages[1].tool_calls;
    const std::string& meta = rows[0].ex.meta;
    EXPECT_EQ(tc.find("boss.person@example.com"), std::string::npos) << tc;
    EXPECT_EQ(meta.find("555-2671"), std::string::npos) << meta;
    EXPECT_EQ(meta.find("4111111111111111"), std::string::npos) << meta;
    EXPECT_NE(meta.find("\"a1b2c3\""), std::string::npos) << meta;
    EXPECT_FALSE(nlohmann::json::parse(tc, nullptr, false).is_discarded()) << tc;
    EXPECT_FALSE(nlohmann::json::parse(meta, nullptr, false).is_discarded()) << meta;
  }
  auto s = Make(nlohmann::json::object());
  std::vector<Row> rows;
  rows.push_back(MakeRow({{Role::User, "hi"}}));
  rows[0].ex.meta = R"({"n":[4111111111111111, 2]})";
  RunRows(*s, rows);
  EXPECT_EQ(rows[0].ex.meta, R"({"n":["[CREDIT_CARD]", 2]})");
}

TEST(PiiScrubStep, AlpacaInputSplitFollowsEdits) {
  auto s = Make(nlohmann::json::object());
  std::vector<Row> rows(1);
  rows[0].ex.messages = {Message{Role::User, "Write to jane@example.com\nfrom ops@example.org please"},
                         Message{Role::Assistant, "ok"}};
  rows[0].ex.input_split = int32_t(std::string("Write to jane@example.com").size());
  RunRows(*s, rows);
  EXPECT_EQ(rows[0].ex.messages[0].content, "Write to [EMAIL]\nfrom [EMAIL] please");
  EXPECT_EQ(rows[0].ex.input_split, int32_t(std::string("Write to [EMAIL]").size()));
}

TEST(PiiScrubStep, MaxHitsDrops) {
  auto s = Make({{"max_hits", 1}});
  std::vector<Row> rows;
  rows.push_back(MakeRow({{Role::User, "a@example.com"}}, 1));
  rows.push_back(MakeRow({{Role::User, "a@example.com b@example.com"}}, 2));
  RunRows(*s, rows);
  EXPECT_FALSE(rows[0].dropped());
  ASSERT_TRUE(rows[1].dropped());
  EXPECT_EQ(rows[1].verdict.reason, "pii_over_limit");
  EXPECT_EQ(rows[1].verdict.detail, "2 PII hits (EMAIL 2) > max_hits 1");
  EXPECT_EQ(rows[1].ex.messages[0].content, "[EMAIL] [EMAIL]");
  EXPECT_EQ(s->Report()["rows_dropped"], 1);
}

TEST(PiiScrubStep, DropRowOperator) {
  auto s = Make({{"operator", "drop_row"}});
  std::vector<Row> rows;
  rows.push_back(MakeRow({{Role::User, "no personal data here, order #5512"}}, 1));
  rows.push_back(MakeRow({{Role::User, "mail a@example.com"}}, 2));
  RunRows(*s, rows);
  EXPECT_FALSE(rows[0].dropped());
  EXPECT_EQ(rows[0].ex.messages[0].content, "no personal data here, order #5512");
  ASSERT_TRUE(rows[1].dropped());
  // The dropped row carries placeholders so the rejected output does not repeat the value.
  EXPECT_EQ(rows[1].ex.messages[0].content, "mail [EMAIL]");
  EXPECT_EQ(s->Report()["hits"], 1);
}

TEST(PiiScrubStep, PseudonymKeyNeverShown) {
  auto s = Make({{"operator", "pseudonym"}, {"pseudonym_key", "hunter2-very-secret"}, {"annotate", true}});
  std::vector<Row> rows;
  rows.push_back(MakeRow({{Role::User, "a@example.com"}}, 1));
  rows.push_back(MakeRow({{Role::User, "again A@example.com"}}, 2));
  RunRows(*s, rows);
  std::string t1 = rows[0].ex.messages[0].content;
  EXPECT_EQ(t1.substr(0, 7), "[EMAIL_");
  EXPECT_EQ(rows[1].ex.messages[0].content, "again " + t1);
  std::string all = s->Params().dump() + s->Report().dump() + rows[0].annotations.dump();
  EXPECT_EQ(all.find("hunter2"), std::string::npos);
  EXPECT_EQ(s->Params()["pseudonym_key"], "(set)");
  EXPECT_EQ(rows[0].annotations["scrub"]["hits"], 1);
  // The redacted Params() cannot be fed back as if "(set)" were the key.
  Status st;
  Make(s->Params(), &st);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("pseudonym_key"), std::string::npos);
}

TEST(PiiScrubStep, ParamsRoundTrip) {
  auto s = Make({{"operator", "mask"}, {"mask_keep_last", 4}, {"keep_private_ip", true}});
  nlohmann::json p = s->Params();
  EXPECT_EQ(p["operator"], "mask");
  EXPECT_EQ(p["max_hits"], -1);
  auto s2 = Make(p);
  EXPECT_EQ(s2->Params(), p);
}

}  // namespace
}  // namespace winnow
