// PhraseLists: the refusal, AI-boilerplate and "I don't know" phrases the quality filter looks
// for (written for Winnow), and the matchers over NormalizeForMatch()'d text (text_stats.h).
#pragma once
#include <span>
#include <string_view>

namespace winnow {

// Phrases are lower case, single-spaced, with ASCII apostrophes, as NormalizeForMatch produces.
std::span<const std::string_view> RefusalPhrases();
std::span<const std::string_view> BoilerplatePhrases();

// Number of occurrences of any phrase of the list in `normalized`, each starting at a word start.
int CountPhraseHits(std::string_view normalized, std::span<const std::string_view> phrases);

// True when the whole reply says only "I don't know" in some form ("I'm not sure.",
// "Sorry, I have no idea!"), i.e. carries no answer. `normalized` as above.
bool IsDontKnowOnly(std::string_view normalized);

}  // namespace winnow
