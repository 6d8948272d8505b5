// The `json` format: an array with one object per finding, using exactly the field names of
// ruff's `--output-format json`, so tools that read ruff's output read ours:
//
//   { "cell": null, "code": "ML703", "end_location": {"column": 7, "row": 4},
//     "filename": "/abs/path/train.py",
//     "fix": { "applicability": "unsafe", "message": "Replace ...",
//              "edits": [{"content": " Exception", "location": {...}, "end_location": {...}}] },
//     "location": {"column": 1, "row": 4}, "message": "...", "noqa_row": 4,
//     "url": "file:///.../docs/rules/ML703.md" }
//
// Rows are 1-based; columns are 1-based and counted in Unicode code points, as ruff counts them.
// `filename` is absolute like ruff's. `cell` is null for .py files; in a notebook it is the
// 1-based cell (every cell counts, markdown included) and rows count within that cell.
// Keys come out sorted (nlohmann's default object), which is also the order ruff writes them.
// Invalid UTF-8 in messages or edit contents is replaced by U+FFFD, so the output always parses.
#include <nlohmann/json.hpp>

#include "analysis/rules/rule.hpp"
#include "cli/output.hpp"

namespace mlroast::cli {

namespace {

using nlohmann::json;

json location_json(const FileReport& file, const SourceIndex& index, std::size_t byte_offset) {
  Location at = shown_location(file, index, byte_offset).at;
  return json{{"row", at.row}, {"column", at.column}};
}

const char* applicability_name(Applicability a) {
  return a == Applicability::Safe ? "safe" : "unsafe";
}

json fix_json(const FileReport& file, const SourceIndex& index, const Fix& fix) {
  json edits = json::array();
  for (const TextEdit& e : fix.edits) {
    edits.push_back(json{{"content", e.replacement},
                         {"location", location_json(file, index, e.start_byte)},
                         {"end_location", location_json(file, index, e.end_byte)}});
  }
  return json{{"applicability", applicability_name(fix.applicability)},
              {"message", fix.title},
              {"edits", std::move(edits)}};
}

json finding_json(const FileReport& file, const SourceIndex& index, const Finding& f) {
  json j;
  ShownLocation start = shown_location(file, index, f.range.start_byte);
  j["cell"] = start.cell ? json(*start.cell) : json(nullptr);
  j["code"] = f.code;
  j["message"] = f.message;
  j["filename"] = file.path.absolute.string();
  j["location"] = json{{"row", start.at.row}, {"column", start.at.column}};
  j["end_location"] = location_json(file, index, std::max(f.range.start_byte, f.range.end_byte));
  j["fix"] = f.fix ? fix_json(file, index, *f.fix) : json(nullptr);
  const RuleInfo* info = find_rule(f.code);
  j["url"] = info ? json(rule_url(*info)) : json(nullptr);
  // In a notebook, rows (noqa_row too) count within the cell, as ruff counts them.
  j["noqa_row"] = f.noqa_row ? json(start.cell ? start.at.row : *f.noqa_row + 1) : json(nullptr);
  return j;
}

}  // namespace

void write_json(std::ostream& out, const CheckReport& report) {
  json all = json::array();
  for (const FileReport& file : report.files) {
    SourceIndex index(file.text);
    for (const Finding& f : file.findings) all.push_back(finding_json(file, index, f));
  }
  out << all.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace mlroast::cli
