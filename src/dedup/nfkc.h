// Unicode NFKC (compatibility decomposition, canonical ordering, canonical composition), as
// Python's unicodedata.normalize("NFKC", s), from tables generated at build time out of the
// Unicode Character Database (see nfkc_tables.h). Pure and deterministic: native = wasm.
#pragma once
#include <string>
#include <string_view>

namespace winnow {

// Appends the NFKC form of `in` to *out. Bytes that are not valid UTF-8 pass through unchanged,
// one by one, and act like starters that nothing composes with. ASCII-only text is copied.
void AppendNfkc(std::string_view in, std::string* out);

// The Unicode version of the tables, e.g. "15.0.0" (for reports).
const char* NfkcUnicodeVersion();

}  // namespace winnow
