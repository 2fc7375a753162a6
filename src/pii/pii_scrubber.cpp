#include "pii/pii_scrubber.h"

#include "core/hash.h"
#include "pii/sha256.h"

namespace winnow::pii {

std::string_view PiiOperatorName(PiiOperator op) {
  switch (op) {
    case PiiOperator::Replace: return "replace";
    case PiiOperator::Mask: return "mask";
    case PiiOperator::Pseudonym: return "pseudonym";
    case PiiOperator::DropRow: return "drop_row";
  }
  return "replace";
}

bool ParsePiiOperator(std::string_view s, PiiOperator* out) {
  for (PiiOperator op : {PiiOperator::Replace, PiiOperator::Mask, PiiOperator::Pseudonym, PiiOperator::DropRow}) {
    if (s == PiiOperatorName(op)) {
      *out = op;
      return true;
    }
  }
  return false;
}

PseudonymKey DerivePseudonymKey(std::string_view key) {
  std::string labelled = "winnow pseudonym key v2";
  labelled.push_back('\0');
  labelled.append(key);
  return Sha256(labelled);
}

std::string Placeholder(PiiType t) {
  std::string s = "[";
  s += PiiTypeName(t);
  s += "]";
  return s;
}

std::string NormalizeForPseudonym(PiiType t, std::string_view value) {
  std::string out;
  out.reserve(value.size());
  switch (t) {
    case PiiType::Email:
      for (char c : value) out.push_back((c >= 'A' && c <= 'Z') ? char(c + 32) : c);
      return out;
    case PiiType::Iban: case PiiType::CreditCard: case PiiType::UsSsn: case PiiType::Phone:
    case PiiType::UkNhs: case PiiType::EsNif: case PiiType::EsNie: case PiiType::InAadhaar:
    case PiiType::PlPesel: case PiiType::AuAbn: case PiiType::AuTfn: case PiiType::CaSin:
    case PiiType::DeTaxId: case PiiType::Mac:
      for (char c : value) {
        if (IsAlnum(c)) out.push_back((c >= 'a' && c <= 'z') ? char(c - 32) : c);
      }
      return out;
    default:
      return std::string(value);
  }
}

std::string PseudonymToken(PiiType t, std::string_view value, const PseudonymKey& key) {
  std::string msg(PiiTypeName(t));
  msg.push_back('\0');
  msg += NormalizeForPseudonym(t, value);
  Sha256Digest mac = HmacSha256(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), msg);
  uint64_t h = 0;
  for (int i = 0; i < 8; ++i) h = (h << 8) | mac[static_cast<size_t>(i)];
  char hex[16];
  HexU64(h, hex);
  std::string s = "[";
  s += PiiTypeName(t);
  s += "_";
  s.append(hex, 12);  // 48 bits: collisions stay unlikely up to millions of distinct values
  s += "]";
  return s;
}

std::string MaskValue(std::string_view value, char mask_char, int keep_last) {
  std::string out(value);
  int alnum_total = 0;
  for (char c : value) alnum_total += IsAlnum(c);
  int seen = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    if (IsAlnum(out[i])) {
      ++seen;
      if (seen <= alnum_total - keep_last) out[i] = mask_char;
    }
  }
  return out;
}

std::string MaskForReport(std::string_view value) {
  std::string out;
  bool first = true;
  for (char c : value) {
    if (IsAlnum(c)) {
      out.push_back(first ? c : '*');
      first = false;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      out.push_back('*');  // never show non-ASCII bytes half-masked
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  // Long values (private keys) are shortened: the shape matters, not every byte.
  if (out.size() > 80) out = out.substr(0, 77) + "...";
  return out;
}

void ApplyOperator(std::string_view text, const std::vector<PiiSpan>& spans, const ScrubOptions& opt, std::string* out) {
  out->clear();
  if (opt.op == PiiOperator::DropRow || spans.empty()) {
    out->assign(text.data(), text.size());
    return;
  }
  out->reserve(text.size() + 16 * spans.size());
  size_t pos = 0;
  for (const PiiSpan& s : spans) {
    out->append(text.data() + pos, s.begin - pos);
    std::string_view value = text.substr(s.begin, s.end - s.begin);
    switch (opt.op) {
      case PiiOperator::Replace:  // Placeholder(s.type), appended in place: no string per span
        out->push_back('[');
        out->append(PiiTypeName(s.type));
        out->push_back(']');
        break;
      case PiiOperator::Mask: *out += MaskValue(value, opt.mask_char, opt.mask_keep_last); break;
      case PiiOperator::Pseudonym: *out += PseudonymToken(s.type, value, opt.pseudonym_key); break;
      case PiiOperator::DropRow: break;
    }
    pos = s.end;
  }
  out->append(text.data() + pos, text.size() - pos);
}

std::string ScrubText(std::string_view text, const ScrubOptions& opt, std::vector<PiiSpan>* spans) {
  std::vector<PiiSpan> local;
  std::vector<PiiSpan>& v = spans ? *spans : local;
  v.clear();
  PiiScanner::Get().Find(text, opt.scan, &v);
  std::string out;
  ApplyOperator(text, v, opt, &out);
  return out;
}

}  // namespace winnow::pii
