// Whether the file being analysed runs as a program (a script, a CLI, a notebook-like module
// with top-level work) or is a library module whose code runs only when something calls it.
// Rules that judge a whole program (logging, seeding) ask this.
#pragma once

#include "analysis/rules/rule.hpp"

namespace mlroast::rules {

// `if __name__ == "__main__":` (either operand order).
bool is_main_guard(syntax::Node stmt, const RuleContext& ctx);

// True when the file is a script or CLI rather than a library module: a `__main__.py`, a
// `__main__` guard, or a module-level statement that does work when imported (a call, a loop,
// a `with` block).
bool is_script(const RuleContext& ctx);

}  // namespace mlroast::rules
