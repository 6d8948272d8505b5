// The `concise` format (one `path:row:col: CODE [*] message` line per finding, then the summary),
// plus what it shares with `full`: the header line, the summary and the format table.
#include <algorithm>
#include <array>
#include <cstdint>

#include "cli/output.hpp"

namespace mlroast::cli {

namespace {

struct FormatName {
  std::string_view name;
  OutputFormat format;
};
constexpr std::array<FormatName, 6> kFormats = {{
    {"full", OutputFormat::Full},
    {"concise", OutputFormat::Concise},
    {"json", OutputFormat::Json},
    {"sarif", OutputFormat::Sarif},
    {"github", OutputFormat::Github},
    {"junit", OutputFormat::Junit},
}};

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  for (const auto& f : kFormats)
    if (f.name == name) return f.format;
  return std::nullopt;
}

const std::vector<std::string>& output_format_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    v.reserve(std::size(kFormats));
    for (const auto& f : kFormats) v.emplace_back(f.name);
    return v;
  }();
  return names;
}

std::size_t CheckReport::finding_count() const {
  std::size_t n = 0;
  for (const auto& f : files) n += f.findings.size();
  return n;
}

std::size_t CheckReport::fixable_count() const {
  std::size_t n = 0;
  for (const auto& file : files)
    for (const auto& f : file.findings) n += f.fix.has_value() ? 1 : 0;
  return n;
}

ShownLocation shown_location(const FileReport& file, const SourceIndex& index, std::size_t byte) {
  if (!file.notebook) return ShownLocation{std::nullopt, index.location(byte)};
  auto at = file.notebook->locate(static_cast<uint32_t>(std::min<std::size_t>(byte, UINT32_MAX)));
  if (!at) return ShownLocation{std::nullopt, index.location(byte)};
  SourceIndex cell(file.notebook->cell_source(at->cell));
  return ShownLocation{at->cell + 1, cell.location(at->offset)};
}

std::string location_text(const FileReport& file, const SourceIndex& index, std::size_t byte) {
  ShownLocation shown = shown_location(file, index, byte);
  std::string text = printable(file.path.display);
  if (shown.cell) text += ":cell " + std::to_string(*shown.cell);
  return text + ":" + std::to_string(shown.at.row) + ":" + std::to_string(shown.at.column);
}

std::string header_line(const FileReport& file, const SourceIndex& index, const Finding& f) {
  std::string line = location_text(file, index, f.range.start_byte) + ": " + f.code;
  if (f.fix) line += " [*]";
  line += " " + printable(f.message);
  return line;
}

void write_summary(std::ostream& out, const CheckReport& report) {
  std::size_t total = report.finding_count();
  if (total == 0) {
    out << "All checks passed!\n";
    return;
  }
  out << "Found " << plural(total, "error", "errors") << ".\n";
  std::size_t safe = 0, unsafe = 0;
  for (const auto& file : report.files)
    for (const auto& f : file.findings) {
      if (!f.fix) continue;
      (f.fix->applicability == Applicability::Safe ? safe : unsafe) += 1;
    }
  if (safe + unsafe == 0) return;
  std::string kinds;
  if (safe > 0) kinds += std::to_string(safe) + " safe";
  if (unsafe > 0) kinds += (kinds.empty() ? "" : ", ") + std::to_string(unsafe) + " unsafe";
  out << "[*] " << plural(safe + unsafe, "finding has", "findings have") << " a fix (" << kinds
      << ").\n";
}

void write_concise(std::ostream& out, const CheckReport& report) {
  for (const FileReport& file : report.files) {
    SourceIndex index(file.text);
    for (const Finding& f : file.findings) out << header_line(file, index, f) << '\n';
  }
  write_summary(out, report);
}

void write_report(std::ostream& out, const CheckReport& report, OutputFormat format) {
  switch (format) {
    case OutputFormat::Full:
      write_full(out, report);
      return;
    case OutputFormat::Concise:
      write_concise(out, report);
      return;
    case OutputFormat::Json:
      write_json(out, report);
      return;
    case OutputFormat::Sarif:
      write_sarif(out, report);
      return;
    case OutputFormat::Github:
      write_github(out, report);
      return;
    case OutputFormat::Junit:
      write_junit(out, report);
      return;
  }
}

}  // namespace mlroast::cli
