// The `junit` format: JUnit XML as CI systems (GitLab, Jenkins, Azure) display test results. One
// <testsuite> per file with findings, one failing <testcase> per finding (name = rule code,
// classname = path, with line and column); a clean run is one passing test case, so the CI shows
// that the check ran. Text is XML-escaped, and characters XML 1.0 forbids (control characters,
// invalid UTF-8) are replaced by U+FFFD, so the document always parses.
#include "cli/output.hpp"

namespace mlroast::cli {

namespace {

std::string xml(std::string_view s) {
  std::string out;
  for (char c : printable(s)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += "&#9;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

void write_junit(std::ostream& out, const CheckReport& report) {
  std::size_t total = report.finding_count();
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"mlroast\" tests=\"" << (total == 0 ? 1 : total) << "\" failures=\""
      << total << "\" errors=\"0\">\n";
  if (total == 0) {
    out << "  <testsuite name=\"mlroast\" tests=\"1\" failures=\"0\" errors=\"0\">\n"
        << "    <testcase name=\"mlroast\" classname=\"mlroast\"/>\n"
        << "  </testsuite>\n";
  }
  for (const FileReport& file : report.files) {
    SourceIndex index(file.text);
    std::string path = xml(file.path.display);
    out << "  <testsuite name=\"" << path << "\" tests=\"" << file.findings.size()
        << "\" failures=\"" << file.findings.size() << "\" errors=\"0\">\n";
    for (const Finding& f : file.findings) {
      Location at = index.location(f.range.start_byte);
      out << "    <testcase name=\"" << xml(f.code) << "\" classname=\"" << path << "\" file=\""
          << path << "\" line=\"" << at.row << "\" column=\"" << at.column << "\">\n"
          << "      <failure type=\"" << to_string(f.severity) << "\" message=\"" << xml(f.message)
          << "\">" << path << ":" << at.row << ":" << at.column << ": " << xml(f.code) << " "
          << xml(f.message) << "</failure>\n"
          << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace mlroast::cli
