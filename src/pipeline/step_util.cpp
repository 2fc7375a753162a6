#include "pipeline/step_util.h"

#include "core/hash.h"
#include "dedup/minhash.h"
#include "pipeline/pipeline_config.h"

namespace winnow {

namespace {
std::string FileName(const Origin& o, const StepContext& ctx) {
  if (ctx.input_names && o.file < ctx.input_names->size()) return (*ctx.input_names)[o.file];
  return "input " + std::to_string(o.file + 1);
}
}  // namespace

std::string RowWhere(const Origin& o, const StepContext& ctx) {
  if (o.line > 0) return "line " + std::to_string(o.line) + " of " + FileName(o, ctx);
  return "row " + std::to_string(o.index + 1) + " of " + FileName(o, ctx);
}

std::string RowRef(const Origin& o, const StepContext& ctx) {
  return FileName(o, ctx) + ":" + std::to_string(o.line > 0 ? o.line : o.index + 1);
}

uint64_t StepSeed(const StepContext& ctx) { return Mix64(ctx.seed ^ Hash64(ctx.step_id, 0x57E9)); }

Status ParseNormalizeParam(std::string_view t, const nlohmann::json& params, const char* key, NormalizeOptions* out) {
  if (!params.is_object() || !params.contains(key)) return Status::Ok();
  const nlohmann::json& n = params[key];
  std::string where = std::string(t) + " \"" + key + "\"";
  Status st = CheckParamKeys(where, n, {"nfkc", "lowercase", "whitespace", "punctuation", "digits"});
  if (!st.ok()) return st;
  if (!(st = GetParam(where, n, "nfkc", &out->nfkc)).ok()) return st;
  if (!(st = GetParam(where, n, "lowercase", &out->lowercase)).ok()) return st;
  if (!(st = GetParam(where, n, "whitespace", &out->whitespace)).ok()) return st;
  if (!(st = GetParam(where, n, "punctuation", &out->punctuation)).ok()) return st;
  return GetParam(where, n, "digits", &out->digits);
}

nlohmann::json NormalizeParamJson(const NormalizeOptions& o) {
  return nlohmann::json{{"nfkc", o.nfkc}, {"lowercase", o.lowercase}, {"whitespace", o.whitespace},
                        {"punctuation", o.punctuation}, {"digits", o.digits}};
}

}  // namespace winnow
