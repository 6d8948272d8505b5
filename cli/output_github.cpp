// The `github` format: one GitHub Actions workflow command per finding, which the runner turns
// into an annotation on the pull request's diff:
//
//   ::error title=mlroast (ML101),file=src/train.py,line=9,col=5,endLine=9,endColumn=38::src/train.py:9:5: ML101 message
//
// Severity maps to the command: error -> `error`, warning -> `warning`, info -> `notice`.
// Property values escape `%`, CR, LF, `:` and `,`; the message escapes `%`, CR and LF, as the
// runner's toolkit (actions/toolkit, command.ts) does. Lines and columns are 1-based, columns in
// code points. Nothing is printed for a clean run.
#include "cli/output.hpp"

namespace mlroast::cli {

namespace {

std::string escape_data(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string escape_property(std::string_view s) {
  std::string out;
  for (char c : escape_data(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

const char* command_for(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "notice";
  }
  return "warning";
}

}  // namespace

void write_github(std::ostream& out, const CheckReport& report) {
  for (const FileReport& file : report.files) {
    SourceIndex index(file.text);
    for (const Finding& f : file.findings) {
      Location a = index.location(f.range.start_byte);
      Location b = index.location(std::max(f.range.start_byte, f.range.end_byte));
      out << "::" << command_for(f.severity) << " title=" << escape_property("mlroast (" + f.code + ")")
          << ",file=" << escape_property(printable(file.path.display)) << ",line=" << a.row
          << ",col=" << a.column << ",endLine=" << b.row << ",endColumn=" << b.column
          << "::" << escape_data(header_line(file, index, f)) << '\n';
    }
  }
}

}  // namespace mlroast::cli
