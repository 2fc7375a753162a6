// Secrets: AWS access key ids and secret keys, GitHub / GitLab / Slack / Stripe tokens, OpenAI- and
// Anthropic-style API keys, PEM private-key blocks and JWTs. Prefixes make most of these exact;
// the shape checks below reject placeholders such as "sk-xxxxxxxx..." and lookalike words.
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

#include "pii/detector.h"

namespace winnow::pii {
namespace {

// True when s mixes enough character classes to be random (rejects "xxxx…", "your-key-here").
bool LooksRandom(std::string_view s, int min_classes = 2) {
  bool lower = false, upper = false, digit = false;
  uint64_t seen[2] = {0, 0};  // ASCII bytes seen, one bit each (no table to clear per call)
  for (char c : s) {
    lower = lower || (c >= 'a' && c <= 'z');
    upper = upper || (c >= 'A' && c <= 'Z');
    digit = digit || IsDigit(c);
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 128) seen[u >> 6] |= uint64_t(1) << (u & 63);
  }
  int classes = int(lower) + int(upper) + int(digit);
  return classes >= min_classes && std::popcount(seen[0]) + std::popcount(seen[1]) >= 8;
}

bool EndsClean(std::string_view text, size_t end) {
  return end >= text.size() || !(IsAlnum(text[end]) || text[end] == '_' || text[end] == '-');
}
bool StartsClean(std::string_view text, size_t begin) {
  return begin == 0 || !(IsAlnum(text[begin - 1]) || text[begin - 1] == '_' || text[begin - 1] == '-');
}

int ValidateAwsKeyId(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  std::string_view v = text.substr(*begin, *end - *begin);
  if (!LooksRandom(v.substr(4), 2) && v.find("EXAMPLE") == std::string_view::npos) return 0;
  return 95;
}

// AWS secret keys: 40 base64 characters, counted only after "aws" or "secret" (any case) and a gap
// of 1 to 32 bytes of [A-Za-z0-9_ .-"':=] ("aws_secret_access_key = ", "AWS secret key: "). The
// pattern finds the separator and the 40 characters; the word and the gap are checked here. (One
// pattern holding all three made RE2's DFA build thousands of states in every call, because the
// gap and the key share the alphanumerics: about 13 us a call, a third of the benchmark's RE2 time.)
bool AwsGapByte(char c) { return IsAlnum(c) || (c != 0 && std::strchr("_ .-\"':=", c) != nullptr); }
bool AwsWordBefore(std::string_view text, size_t key) {
  for (size_t gap = 1; gap <= 32 && gap <= key; ++gap) {
    size_t k = key - gap;  // the gap is [k, key)
    if (!AwsGapByte(text[k])) return false;
    if ((k >= 3 && HasLiteralFold(text, k - 3, k, "aws")) || (k >= 6 && HasLiteralFold(text, k - 6, k, "secret"))) return true;
  }
  return false;
}

// Or after an access key id on the same line, within 40 bytes ("AKIA… with wJalr…", "id=AKIA…
// secret=…"): a key id is the pair's other half.
bool AwsKeyIdBefore(std::string_view text, size_t key) {
  size_t from = key > 60 ? key - 60 : 0;
  for (size_t i = key; i-- > from;) {
    if (text[i] == '\n') return false;
    if (i + 20 > key) continue;
    std::string_view p = text.substr(i, 4);
    if (p != "AKIA" && p != "ASIA") continue;
    size_t n = 0;
    while (n < 16 && (IsDigit(text[i + 4 + n]) || (text[i + 4 + n] >= 'A' && text[i + 4 + n] <= 'Z'))) ++n;
    if (n == 16 && key - (i + 20) <= 40) return true;
  }
  return false;
}

int ValidateAwsSecret(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  size_t b = *begin + 1;  // after the separator
  if (*end - b != 40) return 0;
  auto b64 = [](char c) { return IsAlnum(c) || c == '/' || c == '+'; };
  if (*end < text.size() && (b64(text[*end]) || text[*end] == '=')) return 0;
  if (!AwsWordBefore(text, b) && !AwsKeyIdBefore(text, b)) return 0;
  if (!LooksRandom(text.substr(b, 40), 3)) return 0;
  *begin = b;
  return 90;
}

int ValidatePrefixedToken(std::string_view text, size_t* begin, size_t* end, size_t prefix, size_t min_body) {
  if (!StartsClean(text, *begin) || !EndsClean(text, *end)) return 0;
  std::string_view body = text.substr(*begin + prefix, *end - *begin - prefix);
  if (body.size() < min_body || !LooksRandom(body, 2)) return 0;
  return 95;
}

int ValidateGithub(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  std::string_view v = text.substr(*begin, *end - *begin);
  if (v.substr(0, 11) == "github_pat_") return ValidatePrefixedToken(text, begin, end, 11, 60);
  return ValidatePrefixedToken(text, begin, end, 4, 36);
}
int ValidateGitlab(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  return ValidatePrefixedToken(text, begin, end, 6, 20);
}
int ValidateSlack(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  std::string_view v = text.substr(*begin, *end - *begin);
  if (v.substr(0, 8) == "https://") {
    // The hook's last path segment is its secret: the docs' ".../XXXXXXXXXXXXXXXXXXXXXXXX" is not one.
    size_t slash = v.rfind('/');
    return v.size() >= 60 && LooksRandom(v.substr(slash + 1), 2) ? 95 : 0;
  }
  return ValidatePrefixedToken(text, begin, end, 5, 20);
}
int ValidateStripe(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  return ValidatePrefixedToken(text, begin, end, 8, 16);  // "sk_live_" / "rk_test_": 8 bytes
}
int ValidateOpenai(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  std::string_view v = text.substr(*begin, *end - *begin);
  if (v.substr(0, 7) == "sk-ant-") return 0;  // Anthropic's own detector
  size_t prefix = 3;
  for (std::string_view p : {"sk-proj-", "sk-svcacct-", "sk-admin-"}) {
    if (v.substr(0, p.size()) == p) prefix = p.size();
  }
  // A bare "sk-" followed by dash-separated words is a slug or a locale bundle name
  // ("sk-SK-translations-checkout-page-2024-v2"), not a key: keys without a project / service
  // prefix are one random run, and random runs are seldom split into lower-case words.
  if (prefix == 3) {
    int segments = 0, words = 0;
    for (size_t i = 3; i <= v.size();) {
      size_t dash = v.find('-', i);
      if (dash == std::string_view::npos) dash = v.size();
      std::string_view seg = v.substr(i, dash - i);
      bool word = seg.size() >= 3;
      for (char ch : seg) word = word && ch >= 'a' && ch <= 'z';
      ++segments;
      words += word;
      i = dash + 1;
    }
    if (segments >= 3 && words >= 2 && words * 2 >= segments) return 0;
  }
  int c = ValidatePrefixedToken(text, begin, end, prefix, 32);
  return c ? 92 : 0;
}
int ValidateAnthropic(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  return ValidatePrefixedToken(text, begin, end, 7, 40);
}
// A block with key material in it: prose that names the header and footer ("starts with -----BEGIN
// OPENSSH PRIVATE KEY----- and ends with -----END ...") holds a few words; the smallest real key
// (Ed25519, PKCS#8) has 64 base64 bytes.
int ValidatePem(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  std::string_view v = text.substr(*begin, *end - *begin);
  size_t body = v.find("-----", 5);  // the end of the BEGIN line
  size_t footer = v.rfind("-----END");
  if (body == std::string_view::npos || footer == std::string_view::npos || footer <= body) return 0;
  size_t b64 = 0;
  for (size_t i = body + 5; i < footer; ++i) {
    char c = v[i];
    b64 += IsAlnum(c) || c == '+' || c == '/' || c == '=';
  }
  return b64 >= 24 ? 99 : 0;
}

int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (IsDigit(c)) return c - '0' + 52;
  if (c == '-' || c == '+') return 62;
  if (c == '_' || c == '/') return 63;
  return -1;
}

std::string DecodeBase64Url(std::string_view s, size_t max_out) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = Base64UrlValue(c);
    if (v < 0) break;
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(char((acc >> bits) & 0xff));
      if (out.size() >= max_out) break;
    }
  }
  return out;
}

int ValidateJwt(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  if (!StartsClean(text, *begin)) return 0;
  std::string_view v = text.substr(*begin, *end - *begin);
  size_t dot = v.find('.');
  std::string header = DecodeBase64Url(v.substr(0, dot), 512);
  if (header.empty() || header[0] != '{') return 0;
  if (header.find("\"alg\"") == std::string::npos && header.find("\"typ\"") == std::string::npos) return 0;
  return 95;
}

bool CouldMatchPem(std::string_view text, size_t pos, size_t end) { return HasLiteral(text, pos, end, "-----BEGIN "); }
bool CouldMatchJwt(std::string_view text, size_t pos, size_t end) { return HasLiteral(text, pos, end, ".eyJ"); }
// The word or key id lies before the match: look from 38 bytes (the longest word and gap) before pos
// for the words, from 64 for a key id (AwsKeyIdBefore).
bool CouldMatchAwsSecret(std::string_view text, size_t pos, size_t end) {
  size_t from = pos > 38 ? pos - 38 : 0;
  if (HasLiteralFold(text, from, end, "aws") || HasLiteralFold(text, from, end, "secret")) return true;
  size_t id_from = pos > 64 ? pos - 64 : 0;  // a key id ends at most 40 bytes before the key (AwsKeyIdBefore)
  return HasLiteral(text, id_from, end, "AKIA") || HasLiteral(text, id_from, end, "ASIA");
}
bool CouldMatchSlackHook(std::string_view text, size_t pos, size_t end) {
  return HasLiteral(text, pos, end, "https://hooks.slack.com/services/");
}

}  // namespace

void AddSecretDetectors(std::vector<DetectorDef>* out) {
  out->push_back({PiiType::PrivateKey,
                  R"(-----BEGIN [A-Z0-9 ]{0,20}PRIVATE KEY(?: BLOCK)?-----(?s:.*?)-----END [A-Z0-9 ]{0,20}PRIVATE KEY(?: BLOCK)?-----)",
                  ValidatePem, Trigger::PemBlock, 0, "-----BEGIN ", CouldMatchPem});
  out->back().anchors_prefix = true;
  out->push_back({PiiType::Jwt, R"(\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{8,})", ValidateJwt, Trigger::Jwt, 0, "eyJ", CouldMatchJwt});
  out->back().anchors_prefix = true;
  out->push_back({PiiType::AwsAccessKey,
                  R"(\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b)", ValidateAwsKeyId, Trigger::Token, 0,
                  "AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA"});
  out->back().anchors_prefix = true;
  out->push_back({PiiType::AwsSecretKey,
                  R"([_ .\-"':=][A-Za-z0-9/+]{40})", ValidateAwsSecret, Trigger::TokenLong, 0, nullptr,
                  CouldMatchAwsSecret});
  out->push_back({PiiType::GithubToken, R"(\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,}))",
                  ValidateGithub, Trigger::Token, 0, "ghp_|gho_|ghu_|ghs_|ghr_|github_pat_"});
  out->back().anchors_prefix = true;
  out->push_back({PiiType::GitlabToken, R"(\bglpat-[A-Za-z0-9_\-]{20,})", ValidateGitlab, Trigger::Token, 0, "glpat-"});
  out->back().anchors_prefix = true;
  out->push_back({PiiType::SlackToken, R"(\bxox[abposr]-[A-Za-z0-9\-]{20,})", ValidateSlack, Trigger::Token, 0, "xox"});
  out->back().anchors_prefix = true;
  out->push_back({PiiType::SlackToken, R"(https://hooks\.slack\.com/services/[A-Za-z0-9/_]{20,})", ValidateSlack,
                  Trigger::Url, 0, "https://hooks.slack.com/services/", CouldMatchSlackHook});
  out->back().anchors_prefix = true;
  out->push_back({PiiType::StripeKey, R"(\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,})", ValidateStripe, Trigger::Token, 0,
                  "sk_|rk_"});
  out->back().anchors_prefix = true;
  out->push_back({PiiType::OpenaiKey, R"(\bsk-[A-Za-z0-9_\-]{32,})", ValidateOpenai, Trigger::Token, 0, "sk-"});
  out->back().anchors_prefix = true;
  out->push_back({PiiType::AnthropicKey, R"(\bsk-ant-[A-Za-z0-9_\-]{40,})", ValidateAnthropic, Trigger::Token, 0, "sk-ant-"});
  out->back().anchors_prefix = true;
}

}  // namespace winnow::pii
