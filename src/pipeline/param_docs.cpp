#include "pipeline/param_docs.h"

namespace winnow {
namespace {

struct Doc {
  std::string_view type;  // step type, "<type>.<object key>", or "*" for every step
  std::string_view key;
  std::string_view text;
};

// Step-specific entries first: the lookup takes the first match, so a step can say more about a
// key than the shared ("*") entry at the end does.
constexpr Doc kDocs[] = {
    // validate
    {"validate", "checks", "Which structural problems drop a row: empty (no text at all), empty_turn (a message "
                           "with no content), no_reply (nothing for the model to learn: the conversation ends "
                           "with the user), system_not_first."},
    // normalize
    {"normalize", "line_endings", "CRLF and lone CR become LF."},
    {"normalize", "unicode_spaces", "No-break, thin and other compatibility spaces become a plain space."},
    {"normalize", "zero_width", "Zero-width spaces, joiners and byte-order marks are removed."},
    {"normalize", "trim", "Trailing spaces on each line and blank space around each text are removed."},
    {"normalize", "max_blank_lines", "Runs of more empty lines are cut to this many (0 = leave them)."},
    // pii.scrub
    {"pii.scrub", "entities", "Which kinds of personal data and secrets to look for: ALL, a group (SECRET, "
                              "NATIONAL_ID, NETWORK, FINANCIAL) or single types such as EMAIL, PHONE, IBAN."},
    {"pii.scrub", "exclude", "Kinds not to look for, taken out of entities (e.g. IPV4 for server logs)."},
    {"pii.scrub", "operator", "What a hit becomes: replace (a typed placeholder like [EMAIL]), mask (****), "
                              "pseudonym (the same value gives the same token everywhere, keyed by "
                              "pseudonym_key) or drop_row (rows with more than max_hits hits are dropped)."},
    {"pii.scrub", "max_hits", "Rows with more hits than this are dropped as pii_over_limit; -1 = never."},
    {"pii.scrub", "pseudonym_key", "The secret key of the pseudonym hash (needed with operator pseudonym). It is "
                                   "never written to an output, a report or a link."},
    {"pii.scrub", "mask_char", "The character that mask writes over each letter and digit."},
    {"pii.scrub", "mask_keep_last", "How many trailing letters / digits mask leaves visible (0..8)."},
    {"pii.scrub", "fields", "Which parts of a row are scanned: messages, chosen, rejected, text, meta (the "
                            "source row's other fields) and tool_calls (JSON text: only its string values)."},
    {"pii.scrub", "roles", "Which message roles are scanned (e.g. only user turns)."},
    {"pii.scrub", "min_confidence", "Hits the validators are less sure of (0..100) are left alone; context words "
                                    "like \"phone\" or \"IBAN\" raise confidence."},
    {"pii.scrub", "keep_private_ip", "Leave private, loopback and link-local IP addresses alone."},
    {"pii.scrub", "examples", "How many masked examples per type the report and the card show (0..20)."},
    {"pii.scrub", "annotate", "Write each row's hit counts by type into its annotations."},
    // filter.quality: the signals (objects), then their settings
    {"filter.quality", "min_score", "Rows whose composite score (0..1; 0.5 at the thresholds) is below this fail "
                                    "as low_quality_score; 0 = off."},
    {"filter.quality", "length", "Length bounds of the reply (characters and words)."},
    {"filter.quality", "refusal", "Refusals such as \"I'm sorry, but I can't help with that\"."},
    {"filter.quality", "boilerplate", "\"As an AI language model\" and similar boilerplate."},
    {"filter.quality", "dont_know", "Replies that are only \"I don't know\"."},
    {"filter.quality", "empty_reply", "Replies that are empty or whitespace."},
    {"filter.quality", "instruction_equals_output", "The reply is the instruction again."},
    {"filter.quality", "output_repeats_input", "The reply mostly repeats the prompt's words."},
    {"filter.quality", "gopher_repetition", "Repeated lines, paragraphs and n-grams (the Gopher rules)."},
    {"filter.quality", "symbol_ratio", "Too many '#' / '...' per word, or too few letters and digits."},
    {"filter.quality", "mean_word_length", "Mean word length outside a normal range (garbled or glued text)."},
    {"filter.quality", "code_fence", "An odd number of ``` fences (a code block cut off)."},
    {"filter.quality", "html_tags", "Leftover HTML tags."},
    {"filter.quality", "mojibake", "Text decoded with the wrong encoding (\"Ã©\" for \"é\")."},
    {"filter.quality", "tool_json", "Tool calls whose arguments are not valid JSON."},
    {"filter.quality", "language_drift", "The reply is in another language than the prompt (off by default: "
                                         "translation data would all fail)."},
    {"filter.quality.length", "min_chars", "Fewest characters in the reply."},
    {"filter.quality.length", "max_chars", "Most characters in the reply."},
    {"filter.quality.length", "min_words", "Fewest words in the reply."},
    {"filter.quality.length", "max_words", "Most words in the reply."},
    {"filter.quality.refusal", "max_hits", "Refusal phrases allowed in a reply."},
    {"filter.quality.boilerplate", "max_hits", "Boilerplate phrases allowed in a reply."},
    {"filter.quality.output_repeats_input", "max_overlap", "Largest share of the reply's words taken from the prompt."},
    {"filter.quality.output_repeats_input", "min_words", "Replies shorter than this are not checked."},
    {"filter.quality.gopher_repetition", "min_words", "Texts shorter than this are not checked."},
    {"filter.quality.gopher_repetition", "ngram_min_words", "Texts shorter than this skip the n-gram rules."},
    {"filter.quality.symbol_ratio", "min_words", "Texts shorter than this are not checked."},
    {"filter.quality.symbol_ratio", "max_symbol_word_ratio", "Most '#' and '...' per word."},
    {"filter.quality.symbol_ratio", "max_non_alnum_ratio", "Largest share of visible characters that are not "
                                                            "letters or digits."},
    {"filter.quality.mean_word_length", "min_words", "Texts with fewer space-separated words are not checked."},
    {"filter.quality.mean_word_length", "min_mean", "Shortest mean word length."},
    {"filter.quality.mean_word_length", "max_mean", "Longest mean word length."},
    {"filter.quality.html_tags", "max_count", "HTML tags allowed in a reply."},
    {"filter.quality.mojibake", "max_count", "Mojibake sequences allowed in a reply."},
    {"filter.quality.language_drift", "min_letters", "Prompts or replies with fewer letters are not compared."},
    {"filter.quality.language_drift", "min_percent", "Both languages must be identified with at least this share "
                                                     "of the text (0..100) before they are compared."},
    // filter.language
    {"filter.language", "fields", "Which texts are identified: user turns, assistant turns, text rows."},
    {"filter.language", "allowed", "Language codes (ISO 639-1, e.g. en, de) a field may be in; empty = any. "
                                   "An object gives a list per field."},
    {"filter.language", "min_confidence", "Below this CLD2 confidence (0..100) the language counts as uncertain "
                                          "(language_uncertain)."},
    {"filter.language", "min_letters", "Texts with fewer letters are too short to identify and are not judged."},
    {"filter.language", "max_bytes", "Only the first this many bytes of a text are identified."},
    // dedup.exact / dedup.near / decontaminate
    {"dedup.exact", "view", "What is compared: the whole example, user turns, the instruction only, or "
                            "assistant turns."},
    {"dedup.near", "view", "What is compared: the whole example, user turns, the instruction only, or "
                           "assistant turns."},
    {"dedup.near", "threshold", "Jaccard similarity (0..1) of the shingle sets from which two rows are near "
                                "duplicates."},
    {"dedup.near", "num_perm", "MinHash permutations per row: more is more exact and slower."},
    {"dedup.near", "ngram", "Shingle length, in words or characters."},
    {"dedup.near", "shingle", "Shingles of words or of characters (characters suit text without spaces)."},
    {"dedup.near", "bands", "LSH bands; 0 = chosen from the threshold (shown in the report with the S-curve)."},
    {"dedup.near", "rows", "LSH rows per band; 0 = chosen with bands."},
    {"dedup.near", "verify", "Check each LSH candidate's exact Jaccard before calling it a duplicate."},
    {"dedup.near", "keep", "Which row of a cluster stays: first, longest, highest_score (of score_from), or none."},
    {"dedup.near", "score_from", "The step whose annotated score keep highest_score compares."},
    {"dedup.near", "max_candidates", "Bucket members examined per band for a new row (newest first)."},
    {"decontaminate", "references", "Reference files (a benchmark's test split, JSONL or a JSON array), by name."},
    {"decontaminate", "ngram", "Word n-gram length a row must share with a reference to count as contaminated."},
    {"decontaminate", "view", "Which text of a row is compared with the references."},
    {"decontaminate", "fields", "Only these top-level fields of reference rows are indexed; empty = every string."},
    {"decontaminate", "min_matches", "Shared n-grams needed before a row counts as contaminated."},
    {"decontaminate", "min_ref_words", "Reference strings with fewer words are not indexed (labels, ids)."},
    // split
    {"split", "method", "random; stratified (each value of field in the same proportions in every split); time "
                        "(ordered by field: the oldest to train)."},
    {"split", "ratios", "Share of the rows per split (train, validation, test), adding up to 1."},
    {"split", "field", "The field that stratified and time splits read: a key of the source row (a.b for nested), "
                       "label, format or file."},
    {"split", "group_near_duplicates", "Keep each near-duplicate group in one split, so no near copy leaks from "
                                       "train into test."},
    {"split", "cluster_from", "The dedup.near step (action flag) whose clusters are the groups; without its "
                              "annotations the split finds the groups itself."},
    {"split", "near_duplicates", "How the split finds near-duplicate groups itself (threshold, view, num_perm, "
                                 "ngram, shingle); false = not at all."},
    {"split.ratios", "train", "Share of the rows in train.jsonl."},
    {"split.ratios", "validation", "Share of the rows in validation.jsonl."},
    {"split.ratios", "test", "Share of the rows in test.jsonl."},
    {"split.near_duplicates", "num_perm", "MinHash permutations per row for the split's own near-duplicate check."},
    {"split.near_duplicates", "ngram", "Shingle length, in words or characters."},
    {"split.near_duplicates", "shingle", "Shingles of words or of characters."},
    // keys shared by many steps and by nested objects
    {"*", "action", "drop: failing rows go to rejected.jsonl; flag: they stay and are marked in annotations.jsonl."},
    {"*", "enabled", "Whether this signal is checked."},
    {"*", "normalize", "How texts are normalised before they are compared."},
    {"*", "nfkc", "Unicode NFKC: full-width forms, ligatures and compatibility characters folded."},
    {"*", "lowercase", "Case is ignored."},
    {"*", "whitespace", "Runs of whitespace count as one space."},
    {"*", "punctuation", "Punctuation is ignored."},
    {"*", "digits", "Digits are ignored (numbers do not tell rows apart)."},
    {"*", "threshold", "Jaccard similarity (0..1) from which two rows are near duplicates."},
    {"*", "view", "Which text of a row is compared."},
};

}  // namespace

std::string_view ParamDoc(std::string_view type, std::string_view key) {
  for (const Doc& d : kDocs) {
    if (d.type == type && d.key == key) return d.text;
  }
  // filter.quality's gopher n-gram settings, one family: max_top_<n>gram_frac, max_dup_<n>gram_frac.
  if (type == "filter.quality.gopher_repetition") {
    if (key.starts_with("max_top_")) return "Largest share of characters in the most frequent n-gram (n in the name).";
    if (key.starts_with("max_dup_") && key.find("gram") != std::string_view::npos) {
      return "Largest share of characters in repeated n-grams (n in the name).";
    }
    if (key == "max_dup_line_frac" || key == "max_dup_para_frac") return "Largest share of repeated lines / paragraphs.";
    if (key == "max_dup_line_char_frac" || key == "max_dup_para_char_frac") {
      return "Largest share of characters in repeated lines / paragraphs.";
    }
  }
  for (const Doc& d : kDocs) {
    if (d.type == "*" && d.key == key) return d.text;
  }
  return {};
}

}  // namespace winnow
