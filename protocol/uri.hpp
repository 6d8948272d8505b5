// Conversion between `file://` document URIs and absolute filesystem paths (POSIX paths; a
// Windows drive path such as `file:///C:/x` is returned unchanged as `/C:/x`). Only the file
// scheme is understood: other schemes (untitled:, vscode-notebook-cell:, ...) are rejected, and the
// server keeps using the URI string itself as a document's identity. Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mlroast::protocol {

// The path of a file URI, percent-decoded. Accepts `file:///p`, `file://localhost/p` and
// `file:/p`; any other host gives a UNC-style `//host/p`. Query and fragment are dropped.
// Malformed percent escapes are kept literally. Returns nullopt for another scheme, an empty
// path, or a path that would decode to a NUL byte.
std::optional<std::string> uri_to_path(std::string_view uri);

// The file URI of an absolute path (a missing leading '/' is added). Unreserved characters
// (ALPHA, DIGIT, '-', '.', '_', '~') and '/' are kept; every other byte, including spaces, '#',
// '?', '%', ':' and each byte of non-ASCII characters, is percent-encoded in upper case, as VS Code
// does. uri_to_path(path_to_uri(p)) == p for every absolute path p without NUL bytes.
std::string path_to_uri(std::string_view abs_path);

}  // namespace mlroast::protocol
