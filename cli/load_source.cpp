#include "cli/load_source.hpp"

#include <cerrno>
#include <cstdio>
#include <system_error>

#include "analysis/analyzer.hpp"
#include "analysis/notebook/analyze.hpp"

namespace mlroast::cli {

namespace fs = std::filesystem;

namespace {

// Tree-sitter addresses text with 32-bit offsets; far below that, nothing real is this large.
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{256} << 20;

std::string errno_message(int e) { return std::error_code(e, std::generic_category()).message(); }

// Reads the whole file as bytes; on failure returns false with a message in `error`.
bool read_file(const fs::path& path, std::string& text, std::string& error) {
  std::error_code ec;
  std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > kMaxFileBytes) {
    error = "file is larger than 256 MiB, not analysed";
    return false;
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    error = "cannot read file: " + errno_message(errno);
    return false;
  }
  std::string buf;
  if (!ec) buf.reserve(static_cast<std::size_t>(size));
  char chunk[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0 && buf.size() <= kMaxFileBytes)
    buf.append(chunk, n);
  int read_errno = std::ferror(f) ? errno : 0;
  std::fclose(f);
  if (read_errno != 0) {
    error = "cannot read file: " + errno_message(read_errno);
    return false;
  }
  if (buf.size() > kMaxFileBytes) {
    error = "file is larger than 256 MiB, not analysed";
    return false;
  }
  text = std::move(buf);
  return true;
}

}  // namespace

std::optional<LoadedSource> load_source(const SourcePath& path, std::string& error) {
  LoadedSource out;
  if (!read_file(path.absolute, out.bytes, error)) return std::nullopt;
  if (path.kind != FileKind::Notebook) return out;
  notebook::ReadResult read = notebook::read_notebook(out.bytes);
  if (!read.notebook) {
    error = std::move(read.error);
    return std::nullopt;
  }
  out.program = std::make_shared<const notebook::VirtualProgram>(*read.notebook);
  out.notebook = std::move(read.notebook);
  return out;
}

std::vector<Finding> analyze_source(const SourcePath& path, const LoadedSource& source,
                                    const RuleSelection& selection) {
  if (source.program) return notebook::analyze_program(path.display, *source.program, selection);
  return analyze_text(path.display, source.bytes, selection);
}

std::vector<std::string> load_warnings(const SourcePath& path, const LoadedSource& source) {
  std::vector<std::string> out;
  if (!source.program) return out;
  for (const notebook::SkippedCell& s : source.program->skipped())
    if (s.reason == "syntax error")
      out.push_back(path.display + ":cell " + std::to_string(s.cell + 1) +
                    ": not analysed: the cell has a syntax error");
  return out;
}

}  // namespace mlroast::cli
