// Fixes are not offered where the code around them does not parse. An edit next to an ERROR or
// MISSING node lands in text the parser could not place (inside an unterminated string, in an
// argument list it gave up on): applying it may change nothing the next analysis sees, so the
// same fix comes back every round, or it may change the meaning of the broken code. ruff skips
// fixing files with syntax errors; this is the per-edit version of that, so a syntax error while
// typing in one function leaves the fixes elsewhere in the file available.
#pragma once

#include "analysis/finding.hpp"
#include "analysis/syntax/tree.hpp"

namespace mlroast {

// True when an edit of `fix` lies in an expression or statement with a syntax error, or, between
// statements, overlaps or touches (shares an end with) a statement that has one.
bool fix_touches_syntax_error(syntax::Node root, const Fix& fix);

}  // namespace mlroast
