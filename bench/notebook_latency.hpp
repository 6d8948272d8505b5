// The notebook section of the LSP latency benchmark (notebook_latency.cpp).
#pragma once

#include <string>

namespace mlroast::bench {

struct NotebookRun {
  std::string binary;         // the mlroast executable
  std::string mode = "both";  // async | sync | both
  int code_cells = 300;       // of the generated notebook (leaky_notebook)
  int edits = 500;            // single-character edits, in insert+delete pairs
  unsigned seed = 1;
  int timeout_ms = 10'000;  // per edit
  int pace_ms = 0;          // idle time after each publish before the next edit
};

// Opens the generated notebook with notebookDocument/didOpen in each mode asked for, replays the
// edits through notebookDocument/didChange and prints the figures. False when an edit timed out
// or the server misbehaved, died or did not exit with status 0.
bool notebook_latency(const NotebookRun& run);

}  // namespace mlroast::bench
