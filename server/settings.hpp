// The client's settings for mlroast, from `initializationOptions` and from
// `workspace/didChangeConfiguration` (params.settings): either nested under "mlroast" or given
// directly. Keys: `select`, `ignore`, `extendSelect` (arrays of rule codes or prefixes; an empty
// `select` counts as unset, since editors send their empty default), `reviewOutput` (where
// mlroast.reviewWorkspace writes its report; relative to the workspace root) and `logLevel`
// (accepted; the clients pass it as --log-level). They override the configuration files, as command-line flags do. Values of the wrong
// type, unknown selectors and unknown keys are reported in `problems` and otherwise ignored: a
// bad setting never stops the server. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/config/resolver.hpp"
#include "protocol/jsonrpc.hpp"

namespace mlroast::server {

struct ServerSettings {
  std::optional<std::vector<std::string>> select;
  std::vector<std::string> ignore;
  std::vector<std::string> extend_select;
  std::string review_output = "mlroast-review.md";

  SelectionOverrides overrides() const { return {select, extend_select, ignore}; }
};

// Reads settings from `value` (an object with an "mlroast" member, or the settings object
// itself; null or anything else gives the defaults). Problems are appended to `problems`.
ServerSettings parse_settings(const protocol::json& value, std::vector<std::string>& problems);

}  // namespace mlroast::server
