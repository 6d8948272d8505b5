// Edit-to-diagnostics latency of the real server on a notebook (LSP 3.17 notebook sync). The
// generated leaky notebook (leaky_notebook: 300 code cells plus a markdown cell before every
// tenth) is opened with notebookDocument/didOpen, every cell a text document; then single-
// character edits are replayed through notebookDocument/didChange, each a `textContent` change
// with a range in one code cell (insert a letter, then delete it again, at seeded random
// positions inside identifiers, strings and comments of the cell's Python lines; IPython lines
// are left alone), one at a time: the next edit is sent only after the previous one's
// diagnostics all arrived.
//
// The server analyses a notebook as one program. After didOpen it publishes
// textDocument/publishDiagnostics for every cell (markdown cells included), in cell order; after
// a change, only for the cells whose list or text document version changed (always the edited
// cell, whose version moved), in cell order. For each edit two times are taken, from starting to
// write the didChange:
//   edited cell  until the edited cell's publish carrying its new version has been read;
//   all cells    until the last publish of that same analysis has been read. The end of the
//                analysis' publishes is found with a marker request sent once the edited cell's
//                publish is read: the server posts all of one analysis' publishes in one go on
//                its main thread, so they are all written before it answers the marker.
#include "notebook_latency.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "edits.hpp"
#include "generate.hpp"
#include "latency_driver.hpp"

namespace mlroast::bench {

namespace {

constexpr const char* kNotebookUri = "file:///bench/leaky_experiments.ipynb";

struct Cell {
  int kind = 2;  // 1 markup, 2 code
  std::string uri;
  std::string text;
  int execution_order = 0;
  int version = 1;
};

std::vector<Cell> cells_of(const std::string& ipynb) {
  const json nb = json::parse(ipynb);
  std::vector<Cell> cells;
  for (const auto& c : nb["cells"]) {
    Cell cell;
    cell.kind = c["cell_type"] == "code" ? 2 : 1;
    cell.uri = "vscode-notebook-cell:/bench/leaky_experiments.ipynb#c" +
               std::to_string(cells.size());
    for (const auto& line : c["source"]) cell.text += line.get<std::string>();
    cell.execution_order = c.value("execution_count", 0);
    cells.push_back(std::move(cell));
  }
  return cells;
}

// The cell's text with IPython lines (`%magic`, `!shell`, `obj?`) blanked out, offsets kept, so
// no edit lands in them.
std::string python_lines_only(const std::string& text) {
  std::string out = text;
  std::size_t start = 0;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    const bool ipython = end > start && (out[start] == '%' || out[start] == '!' ||
                                         out[end - 1] == '?');
    if (ipython) std::fill(out.begin() + static_cast<std::ptrdiff_t>(start),
                           out.begin() + static_cast<std::ptrdiff_t>(end), ' ');
    start = end + 1;
  }
  return out;
}

struct CellEdit {
  std::size_t cell = 0;
  Edit edit;
};

// `count` edits in insert+delete pairs, cycling identifier / string / comment; each pair in a
// random code cell that has such a position.
std::vector<CellEdit> make_cell_edits(const std::vector<Cell>& cells, int count, unsigned seed) {
  std::vector<std::size_t> code;
  std::vector<EditSites> sites;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].kind != 2) continue;
    code.push_back(i);
    sites.emplace_back(python_lines_only(cells[i].text));
  }
  std::mt19937 rng(seed);
  std::vector<CellEdit> edits;
  edits.reserve(static_cast<std::size_t>(count));
  for (int pair = 0; pair < count / 2; ++pair) {
    const auto where = static_cast<Where>(pair % 3);
    std::vector<std::size_t> eligible;
    for (std::size_t k = 0; k < code.size(); ++k)
      if (sites[k].has(where)) eligible.push_back(k);
    if (eligible.empty()) throw std::runtime_error("no code cell has a position of a kind");
    const std::size_t k = eligible[rng() % eligible.size()];
    auto [insert, undo] = sites[k].pair(where, rng);
    edits.push_back({code[k], insert});
    edits.push_back({code[k], undo});
  }
  return edits;
}

json did_open(const std::vector<Cell>& cells) {
  json refs = json::array();
  json documents = json::array();
  for (const Cell& c : cells) {
    json ref = {{"kind", c.kind}, {"document", c.uri}};
    if (c.kind == 2 && c.execution_order > 0)
      ref["executionSummary"] = {{"executionOrder", c.execution_order}, {"success", true}};
    refs.push_back(std::move(ref));
    documents.push_back({{"uri", c.uri},
                         {"languageId", c.kind == 2 ? "python" : "markdown"},
                         {"version", c.version},
                         {"text", c.text}});
  }
  return {{"notebookDocument",
           {{"uri", kNotebookUri},
            {"notebookType", "jupyter-notebook"},
            {"version", 1},
            {"cells", std::move(refs)}}},
          {"cellTextDocuments", std::move(documents)}};
}

json did_change(const Cell& cell, const Edit& e, int notebook_version) {
  return {{"notebookDocument", {{"uri", kNotebookUri}, {"version", notebook_version}}},
          {"change",
           {{"cells",
             {{"textContent",
               json::array({{{"document", {{"uri", cell.uri}, {"version", cell.version}}},
                             {"changes", json::array({content_change(e)})}}})}}}}}};
}

struct Batch {
  Clock::time_point edited;  // the edited cell's publish (the last one for didOpen)
  Clock::time_point last;    // the batch's last publish
  std::size_t publishes = 0;
  std::size_t diagnostics = 0;
  std::size_t bytes = 0;
};

struct ModeFigures {
  std::string name;
  std::string flags;
  std::string encoding;
  double open_ms = 0;
  std::vector<double> edited_ms;
  std::vector<double> all_ms;
  std::vector<double> publishes;    // per batch
  std::vector<double> diagnostics;  // per batch, over the cells published
  std::vector<double> batch_kb;     // per batch
  int timeouts = 0;
  int unexpected = 0;  // batches out of cell order
  SessionEnd end;
};

// The publishes after didOpen: one per cell, in cell order. nullopt at the deadline.
std::optional<Batch> await_open(Session& session, const std::vector<Cell>& cells,
                                Clock::time_point deadline, ModeFigures& figures) {
  Batch batch;
  for (const Cell& cell : cells) {
    auto n = session.next_notification("textDocument/publishDiagnostics", deadline);
    if (!n) return std::nullopt;
    if (n->params.value("uri", "") != cell.uri) {
      ++figures.unexpected;
      return std::nullopt;
    }
    batch.last = n->arrived;
    ++batch.publishes;
    batch.diagnostics += n->params["diagnostics"].size();
    batch.bytes += n->bytes;
  }
  batch.edited = batch.last;
  return batch;
}

// The publishes of the analysis of one edit: the `edited` cell's with version `version`, and
// those the server sends with it (before the reply to a marker request sent once the edited
// cell's is read), each cell at most once, in cell order. nullopt at the deadline.
std::optional<Batch> await_edit(Session& session, const std::vector<Cell>& cells,
                                std::size_t edited, int version, Clock::time_point deadline,
                                ModeFigures& figures) {
  std::vector<Notification> seen;
  Batch batch;
  for (;;) {
    auto n = session.next_notification("textDocument/publishDiagnostics", deadline);
    if (!n) return std::nullopt;
    seen.push_back(std::move(*n));
    if (seen.back().params.value("uri", "") == cells[edited].uri &&
        seen.back().params.value("version", -1) == version)
      break;
  }
  batch.edited = seen.back().arrived;
  auto after = session.notifications_until_reply(
      "textDocument/hover",
      {{"textDocument", {{"uri", "file:///mlroast-bench/marker.py"}}},
       {"position", {{"line", 0}, {"character", 0}}}},
      "textDocument/publishDiagnostics", deadline);
  if (!after) return std::nullopt;
  for (auto& n : *after) seen.push_back(std::move(n));
  std::size_t next_cell = 0;
  for (const Notification& p : seen) {
    const std::string uri = p.params.value("uri", "");
    while (next_cell < cells.size() && cells[next_cell].uri != uri) ++next_cell;
    if (next_cell == cells.size()) {  // not a cell, or out of cell order
      ++figures.unexpected;
      return std::nullopt;
    }
    ++next_cell;
    ++batch.publishes;
    batch.diagnostics += p.params["diagnostics"].size();
    batch.bytes += p.bytes;
  }
  batch.last = seen.back().arrived;
  return batch;
}

ModeFigures run_mode(const NotebookRun& run, const std::string& name,
                     const std::vector<std::string>& flags, std::vector<Cell> cells,
                     const std::vector<CellEdit>& edits) {
  ModeFigures f;
  f.name = name;
  f.flags = join_flags(flags);
  const auto wait = std::chrono::milliseconds(run.timeout_ms);
  f.end = run_session(run.binary, flags, wait, "mlroast_lsp_latency_bench notebook",
                      [&](Session& session, const std::string& encoding) {
    f.encoding = encoding;
    const auto opened = Clock::now();
    session.notify("notebookDocument/didOpen", did_open(cells), opened + wait);
    const auto first = await_open(session, cells, opened + wait, f);
    if (!first) throw std::runtime_error("no diagnostics for every cell of the opened notebook");
    f.open_ms = ms_between(opened, first->last);

    int notebook_version = 1;
    int consecutive_timeouts = 0;
    for (const CellEdit& e : edits) {
      pause_before_edit(run.pace_ms);
      Cell& cell = cells[e.cell];
      ++cell.version;
      const json params = did_change(cell, e.edit, ++notebook_version);
      const auto sent = Clock::now();
      session.notify("notebookDocument/didChange", params, sent + wait);
      const auto got = await_edit(session, cells, e.cell, cell.version, sent + wait, f);
      if (!got) {
        ++f.timeouts;
        std::fprintf(stderr, "notebook %s: timeout: no diagnostics for cell %zu version %d\n",
                     name.c_str(), e.cell, cell.version);
        if (++consecutive_timeouts == 5) throw std::runtime_error("5 timeouts in a row: giving up");
        continue;
      }
      consecutive_timeouts = 0;
      f.edited_ms.push_back(ms_between(sent, got->edited));
      f.all_ms.push_back(ms_between(sent, got->last));
      f.publishes.push_back(static_cast<double>(got->publishes));
      f.diagnostics.push_back(static_cast<double>(got->diagnostics));
      f.batch_kb.push_back(static_cast<double>(got->bytes) / 1024.0);
    }
  });
  return f;
}

bool report(const ModeFigures& f, std::size_t planned, std::size_t cells) {
  std::printf("notebook mode %s (server %s --log-level off), position encoding %s\n",
              f.name.c_str(), f.flags.c_str(), f.encoding.empty() ? "?" : f.encoding.c_str());
  if (!f.end.error.empty()) std::printf("  FAILED: %s\n", f.end.error.c_str());
  if (f.open_ms > 0)
    std::printf("  notebookDocument/didOpen -> publishes for all %zu cells: %.1f ms\n", cells,
                f.open_ms);
  std::printf("  edits: %zu of %zu measured, %d timeouts, %d unexpected\n", f.edited_ms.size(),
              planned, f.timeouts, f.unexpected + f.end.unexpected);
  if (!f.edited_ms.empty()) {
    print_latencies("edited cell's publish, ms", f.edited_ms);
    print_latencies("all its publishes, ms    ", f.all_ms);
    std::printf("  per edit (medians): %.0f of %zu cells published, %.0f diagnostics in them, "
                "%.1f KB\n",
                percentile(f.publishes, 50), cells, percentile(f.diagnostics, 50),
                percentile(f.batch_kb, 50));
  }
  print_end(f.end);
  return f.end.ok() && f.timeouts == 0 && f.unexpected == 0;
}

}  // namespace

bool notebook_latency(const NotebookRun& run) {
  const std::vector<Cell> cells = cells_of(leaky_notebook(run.code_cells, run.seed));
  const auto edits = make_cell_edits(cells, run.edits, run.seed);
  std::size_t lines = 0;
  std::size_t bytes = 0;
  for (const Cell& c : cells) {
    lines += static_cast<std::size_t>(std::count(c.text.begin(), c.text.end(), '\n')) + 1;
    bytes += c.text.size();
  }
  std::printf("notebook: generated leaky notebook, %zu cells (%d code), %zu lines, %.1f KB\n",
              cells.size(), run.code_cells, lines, static_cast<double>(bytes) / 1024.0);
  std::printf(
      "edits: %zu single-character notebookDocument/didChange textContent edits in code cells "
      "(%zu insert+delete pairs, cycling identifier / string / comment positions), one at a "
      "time, %s\n",
      edits.size(), edits.size() / 2,
      pacing(run.pace_ms).c_str());
  std::printf(
      "measured: didChange write -> the edited cell's publishDiagnostics with its new version "
      "read, and -> the last publish of that analysis read (the server publishes the cells whose "
      "lists or versions changed, of %zu)\n\n",
      cells.size());
  bool ok = true;
  if (run.mode == "async" || run.mode == "both")
    ok = report(run_mode(run, "async", {"--debounce-ms", "0"}, cells, edits), edits.size(),
                cells.size()) && ok;
  if (run.mode == "sync" || run.mode == "both")
    ok = report(run_mode(run, "sync", {"--sync"}, cells, edits), edits.size(), cells.size()) && ok;
  return ok;
}

}  // namespace mlroast::bench
