// Where a fix adds an import: at the start of the first statement after the module docstring
// and `from __future__` imports (inserting above those would be a syntax error or hide the
// docstring).
#pragma once

#include <cstdint>
#include <string_view>

#include "analysis/syntax/tree.hpp"

namespace mlroast {

uint32_t import_insertion_point(syntax::Node module, std::string_view text);

}  // namespace mlroast
