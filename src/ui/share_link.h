// Share links: the pipeline JSON (never the data) carried in a URL fragment, "#pipeline=<base64url>".
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace winnow::ui {

std::string Base64UrlEncode(std::string_view bytes);  // RFC 4648 §5, no padding
// nullopt on a character outside the alphabet or an impossible length.
std::optional<std::string> Base64UrlDecode(std::string_view text);

// "#pipeline=..." for the pipeline text (compact JSON recommended).
std::string ShareFragment(std::string_view pipeline_json);
// The pipeline JSON text from a fragment (with or without the leading '#'); nullopt when the
// fragment carries no pipeline or it does not decode.
std::optional<std::string> PipelineFromFragment(std::string_view fragment);

}  // namespace winnow::ui
