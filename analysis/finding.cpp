#include "analysis/finding.hpp"

namespace mlroast {

const char* to_string(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
  }
  return "warning";
}

std::optional<Severity> parse_severity(std::string_view s) {
  if (s == "error" || s == "E") return Severity::Error;
  if (s == "warning" || s == "W") return Severity::Warning;
  if (s == "info" || s == "I" || s == "information" || s == "hint") return Severity::Info;
  return std::nullopt;
}

}  // namespace mlroast
