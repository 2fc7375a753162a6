// One-line descriptions of step parameters, for the studio's tooltips (and any front end that
// explains a pipeline). Written for the steps of the presets and the ones people tune most; the
// full reference of every step stays in its .cpp header comment.
#pragma once
#include <string_view>

namespace winnow {

// The description of parameter `key` of step `type`, or "" when there is none. Parameters inside
// an object parameter are looked up with `type` = "<step type>.<object key>" (filter.quality's
// signals: "filter.quality.length", key "min_words"); keys every such object shares ("enabled",
// normalize's "nfkc", ...) have a description of their own.
std::string_view ParamDoc(std::string_view type, std::string_view key);

}  // namespace winnow
