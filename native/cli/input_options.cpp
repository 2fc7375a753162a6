#include "input_options.h"

#include <sys/stat.h>

#include <cstdio>

#include "command.h"
#include "io/stdio_file.h"

namespace winnow::cli {

void AddInputOptions(CLI::App* sub, InputOptions* o) {
  sub->add_option("--from", o->from, "Force the input format (alpaca, sharegpt, messages, preference, kto, text); "
                                     "default: sniffed from the first rows");
  sub->add_option("--map", o->map, "Apply a LLaMA-Factory column mapping: dataset_info.json:NAME");
  sub->add_option("--field", o->fields,
                  "Read a field under another name: CANONICAL=SOURCE, e.g. text=tweet or instruction=question "
                  "(repeatable)");
  sub->add_option("--kind", o->kind, "Container: jsonl, json, csv, tsv (default: from the extension and first byte)");
  sub->add_flag("--repair-utf8", o->repair_utf8, "Replace invalid UTF-8 with U+FFFD instead of rejecting the row");
}

int OpenInput(const std::string& path, InputOptions& o, uint32_t file_index, OpenedInput* out) {
  ReadOptions ro;
  ro.file_index = file_index;
  ro.repair_utf8 = o.repair_utf8;
  if (!o.from.empty() && !ParseFormat(o.from, &ro.format)) {
    std::fprintf(stderr, "winnow: unknown format '%s' (allowed: alpaca, sharegpt, messages, preference, kto, text)\n",
                 o.from.c_str());
    return kExitUsage;
  }
  if (!o.kind.empty()) {
    if (o.kind == "jsonl") ro.kind = FileKind::Jsonl;
    else if (o.kind == "json") ro.kind = FileKind::JsonArray;
    else if (o.kind == "csv") ro.kind = FileKind::Csv;
    else if (o.kind == "tsv") ro.kind = FileKind::Tsv;
    else {
      std::fprintf(stderr, "winnow: unknown --kind '%s' (allowed: jsonl, json, csv, tsv)\n", o.kind.c_str());
      return kExitUsage;
    }
  }
  for (const std::string& f : o.fields) {
    size_t eq = f.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == f.size()) {
      std::fprintf(stderr, "winnow: --field takes CANONICAL=SOURCE, got '%s'\n", f.c_str());
      return kExitUsage;
    }
    ro.fields.emplace_back(f.substr(0, eq), f.substr(eq + 1));
  }
  if (!o.map.empty()) {
    size_t colon = o.map.rfind(':');
    if (colon == std::string::npos) {
      std::fprintf(stderr, "winnow: --map takes dataset_info.json:NAME, got '%s'\n", o.map.c_str());
      return kExitUsage;
    }
    std::string info_path = o.map.substr(0, colon), name = o.map.substr(colon + 1);
    auto info = OpenStdioSource(info_path);
    if (!info.ok()) {
      std::fprintf(stderr, "winnow: %s\n", info.error().message.c_str());
      return kExitIo;
    }
    std::string text;
    char buf[65536];
    while (true) {
      auto k = info.value()->Read(buf, sizeof buf);
      if (!k.ok() || k.value() == 0) break;
      text.append(buf, k.value());
    }
    auto m = LoadColumnMapping(text, name);
    if (!m.ok()) {
      std::fprintf(stderr, "winnow: %s: %s\n", info_path.c_str(), m.error().message.c_str());
      return kExitUsage;
    }
    o.mapping = m.value();
    ro.mapping = &o.mapping;
  }
  auto src = OpenInputFile(path);
  if (!src.ok()) {
    std::fprintf(stderr, "winnow: %s\n", src.error().message.c_str());
    return kExitIo;
  }
  out->source = std::move(src.value());
  auto reader = ExampleReader::Open(*out->source, ro);
  if (!reader.ok()) {
    std::fprintf(stderr, "winnow: %s: %s\n", path.c_str(), reader.error().message.c_str());
    return reader.error().code == "io_error" || reader.error().code == "decompress_error" ? kExitIo : kExitUsage;
  }
  out->reader = std::move(reader.value());
  return kExitOk;
}

std::string DefaultRejectsPath(const std::string& out_path) {
  std::string base = out_path;
  size_t slash = base.find_last_of('/');
  size_t dot = base.find('.', slash == std::string::npos ? 0 : slash + 1);
  if (dot != std::string::npos && dot > (slash == std::string::npos ? 0 : slash + 1)) base = base.substr(0, dot);
  return base + ".rejected.jsonl";
}

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  if (stat(a.c_str(), &sa) != 0 || stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace winnow::cli
