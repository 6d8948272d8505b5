// The allocator's settings for an interactive session. Between two keystrokes the server frees
// an analysis' working state (several MB of small objects) and builds the next one. mimalloc
// 2.0 hands freed pages back to the kernel 25 ms after they empty (its decommit delay), so a
// user who types at a human pace, or waits out the debounce, makes every analysis fault its
// memory in again: at 30 ms between edits the median edit-to-diagnostics time was 15.6 ms
// instead of 5, at 300 ms 18-21 ms (bench/README.md, session 17). Keeping emptied pages for a
// second removes that cost while typing and still returns the memory once the user pauses.
#pragma once

#include <string>

namespace mlroast::server {

// How long emptied pages stay committed (ms), unless MIMALLOC_DECOMMIT_DELAY or its older name
// MIMALLOC_RESET_DELAY says otherwise.
constexpr long kDecommitDelayMs = 1000;

// Applies the setting above when the process runs on mimalloc (MLROAST_USES_MIMALLOC); returns
// what it did, for the log.
std::string tune_allocator_for_typing();

}  // namespace mlroast::server
