// A unified diff of two versions of a text (`diff -u` format, 3 lines of context), for
// `mlroast check --fix --diff`. Line-based; an LCS alignment for files of ordinary size, one hunk
// around the changed middle beyond that.
#pragma once

#include <string>
#include <string_view>

namespace mlroast::cli {

// "" when the texts are equal.
std::string unified_diff(std::string_view before, std::string_view after,
                         const std::string& path);

}  // namespace mlroast::cli
