#include "filters/phrase_lists.h"

#include <string>

namespace winnow {

namespace {

// A model declining the task. Kept specific ("i'm sorry, but i can't", not "i can't") so that
// ordinary answers that happen to say "can't" are not caught.
constexpr std::string_view kRefusal[] = {
    "i'm sorry, but i can't",
    "i'm sorry, but i cannot",
    "i am sorry, but i cannot",
    "i am sorry, but i can't",
    "i'm sorry, i can't",
    "i'm sorry, i cannot",
    "sorry, but i can't help",
    "sorry, but i cannot help",
    "i apologize, but i cannot",
    "i apologize, but i can't",
    "i cannot fulfill",
    "i can't fulfill",
    "i cannot comply",
    "i can't comply",
    "i cannot assist with",
    "i can't assist with",
    "i can't help with that",
    "i cannot help with that",
    "i'm unable to help with",
    "i am unable to help with",
    "i'm not able to help with",
    "i am not able to help with",
    "i cannot provide assistance",
    "i must decline",
    "i won't be able to help",
    "it is not appropriate for me to",
    "it's not appropriate for me to",
    "i cannot engage in",
    "i can't engage in",
    "against my programming",
    "goes against my guidelines",
    "violates my guidelines",
    "i'm not allowed to",
    "i am not allowed to",
    "i cannot create content",
    "i can't create content",
    "i cannot generate content",
    "i can't generate content",
};

// A model talking about itself instead of answering: the "as an AI" family and knowledge-cutoff
// disclaimers that leak from distilled data.
constexpr std::string_view kBoilerplate[] = {
    "as an ai language model",
    "as a language model",
    "as a large language model",
    "as an ai assistant",
    "as an ai,",
    "as an artificial intelligence",
    "i am an ai language model",
    "i'm an ai language model",
    "i am just an ai",
    "i'm just an ai",
    "i am only an ai",
    "i'm only an ai",
    "my knowledge cutoff",
    "my knowledge cut-off",
    "as of my last update",
    "as of my last knowledge update",
    "as of my training data",
    "i don't have personal opinions",
    "i do not have personal opinions",
    "i don't have personal feelings",
    "i do not have personal feelings",
    "i don't have personal experiences",
    "i do not have personal experiences",
    "i don't have the ability to browse",
    "i do not have the ability to browse",
    "i don't have access to real-time",
    "i do not have access to real-time",
    "i don't have real-time",
};

// Whole-reply forms of "no answer", after punctuation is removed.
constexpr std::string_view kDontKnow[] = {
    "i don't know", "i do not know", "i dont know", "i really don't know", "don't know", "dunno", "idk",
    "i'm not sure", "i am not sure", "im not sure", "not sure", "no idea", "i have no idea",
    "i've no idea", "unknown", "n/a", "no answer", "i don't know the answer",
    "i do not know the answer", "i don't have an answer", "i do not have an answer",
    "i can't answer that", "i cannot answer that", "i can't say", "i cannot say",
};
// Courtesy words allowed around a "don't know" reply.
constexpr std::string_view kDontKnowLead[] = {
    "sorry ", "i'm sorry ", "i am sorry ", "unfortunately ", "i'm afraid ", "i am afraid ", "honestly ",
    "well ",
};
constexpr std::string_view kDontKnowTail[] = {" sorry", " unfortunately", " honestly", " either"};

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

}  // namespace

std::span<const std::string_view> RefusalPhrases() { return kRefusal; }
std::span<const std::string_view> BoilerplatePhrases() { return kBoilerplate; }

int CountPhraseHits(std::string_view normalized, std::span<const std::string_view> phrases) {
  // Phrases match only at the start of a word ("has an ai," is not "as an ai,"). One pass over
  // the word starts, comparing the first byte before the whole phrase.
  int hits = 0;
  auto word_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'' || static_cast<unsigned char>(c) >= 0x80;
  };
  for (size_t i = 0; i < normalized.size(); ++i) {
    if (i > 0 && word_char(normalized[i - 1])) continue;
    for (std::string_view p : phrases) {
      if (p[0] == normalized[i] && normalized.compare(i, p.size(), p) == 0) ++hits;
    }
  }
  return hits;
}

bool IsDontKnowOnly(std::string_view normalized) {
  if (normalized.size() > 80) return false;
  // Keep letters, digits, apostrophes, '/' (n/a) and single spaces; drop other punctuation.
  std::string s;
  for (char c : normalized) {
    unsigned char u = static_cast<unsigned char>(c);
    bool keep = (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || c == '\'' || c == '/' || u >= 0x80;
    if (keep) {
      s.push_back(c);
    } else if (c == ' ' || c == ',' || c == '-') {
      if (!s.empty() && s.back() != ' ') s.push_back(' ');
    }
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  std::string_view v = s;
  for (bool changed = true; changed;) {
    changed = false;
    for (std::string_view lead : kDontKnowLead) {
      if (StartsWith(v, lead)) {
        v.remove_prefix(lead.size());
        changed = true;
      }
    }
    for (std::string_view tail : kDontKnowTail) {
      if (EndsWith(v, tail)) {
        v.remove_suffix(tail.size());
        changed = true;
      }
    }
  }
  for (std::string_view p : kDontKnow) {
    if (v == p) return true;
  }
  return false;
}

}  // namespace winnow
