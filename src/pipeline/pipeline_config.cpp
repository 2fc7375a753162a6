#include "pipeline/pipeline_config.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace winnow {

namespace {

using nlohmann::json;

std::string Join(const std::vector<std::string_view>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    s += v[i];
  }
  return s;
}

Error Bad(std::string msg) { return Error{"bad_config", std::move(msg)}; }

std::string RegisteredTypes() {
  std::vector<std::string> t;
  for (const StepInfo& s : StepRegistry()) t.push_back(s.type);
  std::sort(t.begin(), t.end());
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (i) out += ", ";
    out += t[i];
  }
  return out;
}

}  // namespace

Result<PipelineConfig> ParsePipeline(std::string_view json_text) {
  json doc = json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (doc.is_discarded()) return Bad("the pipeline is not valid JSON");
  return PipelineFromJson(doc);
}

Result<PipelineConfig> PipelineFromJson(const json& doc) {
  static const std::vector<std::string_view> kTop = {"version", "name", "description", "seed", "annotations", "row_bytes", "steps"};
  static const std::vector<std::string_view> kStep = {"type", "id", "params"};
  if (!doc.is_object()) return Bad("the pipeline must be a JSON object with keys: " + Join(kTop));
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (std::find(kTop.begin(), kTop.end(), it.key()) == kTop.end()) {
      return Bad("unknown key \"" + it.key() + "\" in the pipeline; allowed keys: " + Join(kTop));
    }
  }
  PipelineConfig c;
  if (!doc.contains("version")) return Bad("missing key \"version\" in the pipeline (allowed value: 1)");
  const json& v = doc["version"];
  if (!v.is_number_integer() || v.get<int64_t>() != kPipelineSchemaVersion) {
    return Bad("\"version\" must be 1 (the only pipeline schema version), got " + v.dump());
  }
  if (!doc.contains("name") || !doc["name"].is_string() || doc["name"].get<std::string>().empty()) {
    return Bad("\"name\" must be a non-empty string");
  }
  c.name = doc["name"].get<std::string>();
  if (doc.contains("description")) {
    if (!doc["description"].is_string()) return Bad("\"description\" must be a string");
    c.description = doc["description"].get<std::string>();
  }
  if (doc.contains("seed")) {
    const json& s = doc["seed"];
    if (!s.is_number_unsigned() && !(s.is_number_integer() && s.get<int64_t>() >= 0)) {
      return Bad("\"seed\" must be a non-negative integer, got " + s.dump());
    }
    c.seed = s.get<uint64_t>();
  }
  if (doc.contains("annotations")) {
    const json& a = doc["annotations"];
    if (!a.is_string() || !ParseAnnotationsOutput(a.get<std::string>(), &c.annotations)) {
      return Bad("\"annotations\" must be one of \"flagged\", \"all\", \"none\", got " + a.dump());
    }
  }
  if (doc.contains("row_bytes")) {
    const json& a = doc["row_bytes"];
    if (!a.is_string() || !ParseRowBytes(a.get<std::string>(), &c.row_bytes)) {
      return Bad("\"row_bytes\" must be one of \"canonical\", \"source\", got " + a.dump());
    }
  }
  if (!doc.contains("steps") || !doc["steps"].is_array()) {
    return Bad("\"steps\" must be an array of {\"type\", \"id\", \"params\"} objects");
  }
  std::map<std::string, int> type_counts;
  const json& steps = doc["steps"];
  for (size_t i = 0; i < steps.size(); ++i) {
    const json& s = steps[i];
    std::string where = "steps[" + std::to_string(i) + "]";
    if (!s.is_object()) return Bad(where + " must be an object with keys: " + Join(kStep));
    for (auto it = s.begin(); it != s.end(); ++it) {
      if (std::find(kStep.begin(), kStep.end(), it.key()) == kStep.end()) {
        return Bad("unknown key \"" + it.key() + "\" in " + where + "; allowed keys: " + Join(kStep));
      }
    }
    if (!s.contains("type") || !s["type"].is_string()) {
      return Bad(where + ": \"type\" must be a string, one of: " + RegisteredTypes());
    }
    StepSpec spec;
    spec.type = s["type"].get<std::string>();
    if (!FindStep(spec.type)) {
      return Bad(where + ": unknown step type \"" + spec.type + "\"; registered types: " + RegisteredTypes());
    }
    int n = ++type_counts[spec.type];
    spec.id = n == 1 ? spec.type : spec.type + "#" + std::to_string(n);
    if (s.contains("id")) {
      if (!s["id"].is_string() || s["id"].get<std::string>().empty()) return Bad(where + ": \"id\" must be a non-empty string");
      spec.id = s["id"].get<std::string>();
    }
    for (const StepSpec& prev : c.steps) {
      if (prev.id == spec.id) return Bad(where + ": duplicate step id \"" + spec.id + "\" (give each step a distinct \"id\")");
    }
    if (s.contains("params")) {
      if (!s["params"].is_object()) return Bad(where + " (" + spec.type + "): \"params\" must be an object");
      spec.params = s["params"];
    }
    c.steps.push_back(std::move(spec));
  }
  return c;
}

std::string_view AnnotationsOutputName(AnnotationsOutput a) {
  switch (a) {
    case AnnotationsOutput::Flagged: return "flagged";
    case AnnotationsOutput::All: return "all";
    case AnnotationsOutput::None: return "none";
  }
  return "flagged";
}

bool ParseAnnotationsOutput(std::string_view name, AnnotationsOutput* out) {
  for (AnnotationsOutput a : {AnnotationsOutput::Flagged, AnnotationsOutput::All, AnnotationsOutput::None}) {
    if (name == AnnotationsOutputName(a)) {
      *out = a;
      return true;
    }
  }
  return false;
}

std::string_view RowBytesName(RowBytes r) { return r == RowBytes::Source ? "source" : "canonical"; }

bool ParseRowBytes(std::string_view name, RowBytes* out) {
  for (RowBytes r : {RowBytes::Canonical, RowBytes::Source}) {
    if (name == RowBytesName(r)) {
      *out = r;
      return true;
    }
  }
  return false;
}

json PipelineToJson(const PipelineConfig& config, const std::vector<std::unique_ptr<Step>>* steps) {
  json doc = json::object();
  doc["version"] = config.version;
  doc["name"] = config.name;
  if (!config.description.empty()) doc["description"] = config.description;
  doc["seed"] = config.seed;
  // Written only when not the default, so that documents saved before the key existed read the same.
  if (config.annotations != AnnotationsOutput::Flagged) doc["annotations"] = AnnotationsOutputName(config.annotations);
  if (config.row_bytes != RowBytes::Canonical) doc["row_bytes"] = RowBytesName(config.row_bytes);
  json arr = json::array();
  for (size_t i = 0; i < config.steps.size(); ++i) {
    json s = json::object();
    s["type"] = config.steps[i].type;
    s["id"] = config.steps[i].id;
    s["params"] = (steps && i < steps->size()) ? (*steps)[i]->Params() : config.steps[i].params;
    arr.push_back(std::move(s));
  }
  doc["steps"] = std::move(arr);
  return doc;
}

Result<std::vector<std::unique_ptr<Step>>> InstantiateSteps(const PipelineConfig& config) {
  std::vector<std::unique_ptr<Step>> out;
  for (size_t i = 0; i < config.steps.size(); ++i) {
    const StepSpec& spec = config.steps[i];
    const StepInfo* info = FindStep(spec.type);
    std::string where = "steps[" + std::to_string(i) + "] (" + spec.type + ")";
    if (!info) return Bad(where + ": unknown step type; registered types: " + RegisteredTypes());
    std::unique_ptr<Step> step = info->make();
    Status st = step->Configure(spec.params);
    if (!st.ok()) return Error{st.error().code.empty() ? "bad_config" : st.error().code, where + ": " + st.error().message};
    out.push_back(std::move(step));
  }
  return out;
}

PipelineConfig SingleStepPipeline(std::string_view type, const json& params, uint64_t seed) {
  PipelineConfig c;
  c.name = std::string(type);
  c.seed = seed;
  StepSpec s;
  s.type = std::string(type);
  s.id = std::string(type);
  s.params = params.is_object() ? params : json::object();
  c.steps.push_back(std::move(s));
  return c;
}

Status CheckParamKeys(std::string_view step_type, const json& params, const std::vector<std::string_view>& allowed) {
  if (params.is_null()) return Status::Ok();
  if (!params.is_object()) return Bad(std::string(step_type) + ": params must be an object");
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      return Bad("unknown parameter \"" + it.key() + "\" for " + std::string(step_type) + "; allowed: " + Join(allowed));
    }
  }
  return Status::Ok();
}

Status GetParam(std::string_view t, const json& p, const char* key, bool* out) {
  if (!p.is_object() || !p.contains(key)) return Status::Ok();
  if (!p[key].is_boolean()) return Bad(std::string(t) + ": \"" + key + "\" must be true or false, got " + p[key].dump());
  *out = p[key].get<bool>();
  return Status::Ok();
}

Status GetParam(std::string_view t, const json& p, const char* key, std::string* out,
                const std::vector<std::string_view>& allowed) {
  if (!p.is_object() || !p.contains(key)) return Status::Ok();
  const json& v = p[key];
  std::string what = allowed.empty() ? "a string" : "one of: " + Join(allowed);
  if (!v.is_string()) return Bad(std::string(t) + ": \"" + key + "\" must be " + what + ", got " + v.dump());
  std::string s = v.get<std::string>();
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
    return Bad(std::string(t) + ": \"" + key + "\" must be " + what + ", got \"" + s + "\"");
  }
  *out = std::move(s);
  return Status::Ok();
}

Status GetParam(std::string_view t, const json& p, const char* key, double* out, double min, double max) {
  if (!p.is_object() || !p.contains(key)) return Status::Ok();
  const json& v = p[key];
  char range[96];
  std::snprintf(range, sizeof range, "a number in [%g, %g]", min, max);
  if (!v.is_number()) return Bad(std::string(t) + ": \"" + key + "\" must be " + range + ", got " + v.dump());
  double d = v.get<double>();
  if (!(d >= min && d <= max)) return Bad(std::string(t) + ": \"" + key + "\" must be " + range + ", got " + v.dump());
  *out = d;
  return Status::Ok();
}

Status GetParam(std::string_view t, const json& p, const char* key, int64_t* out, int64_t min, int64_t max) {
  if (!p.is_object() || !p.contains(key)) return Status::Ok();
  const json& v = p[key];
  std::string range = "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (!v.is_number_integer()) return Bad(std::string(t) + ": \"" + key + "\" must be " + range + ", got " + v.dump());
  int64_t d = v.get<int64_t>();
  if (d < min || d > max) return Bad(std::string(t) + ": \"" + key + "\" must be " + range + ", got " + v.dump());
  *out = d;
  return Status::Ok();
}

Status GetParam(std::string_view t, const json& p, const char* key, std::vector<std::string>* out) {
  if (!p.is_object() || !p.contains(key)) return Status::Ok();
  const json& v = p[key];
  if (v.is_string()) {
    *out = {v.get<std::string>()};
    return Status::Ok();
  }
  if (!v.is_array()) return Bad(std::string(t) + ": \"" + key + "\" must be a string or an array of strings");
  std::vector<std::string> r;
  for (const json& e : v) {
    if (!e.is_string()) return Bad(std::string(t) + ": \"" + key + "\" must be an array of strings, got " + v.dump());
    r.push_back(e.get<std::string>());
  }
  *out = std::move(r);
  return Status::Ok();
}

}  // namespace winnow
