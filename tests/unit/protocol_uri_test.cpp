#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "protocol/uri.hpp"

using mlroast::protocol::path_to_uri;
using mlroast::protocol::uri_to_path;

TEST_CASE("file URIs decode to paths", "[protocol][uri]") {
  CHECK(uri_to_path("file:///home/u/train.py") == "/home/u/train.py");
  CHECK(uri_to_path("file:///home/u/my%20project/a%23b.py") == "/home/u/my project/a#b.py");
  CHECK(uri_to_path("file:///tmp/caf%C3%A9.py") == "/tmp/caf\xC3\xA9.py");
  CHECK(uri_to_path("file:///tmp/caf%c3%a9.py") == "/tmp/caf\xC3\xA9.py");    // lower-case hex
  CHECK(uri_to_path("file:///tmp/raw\xC3\xA9.py") == "/tmp/raw\xC3\xA9.py");  // unencoded bytes
  CHECK(uri_to_path("file://localhost/etc/x") == "/etc/x");
  CHECK(uri_to_path("FILE:///upper/scheme") == "/upper/scheme");
  CHECK(uri_to_path("file:/single/slash") == "/single/slash");
  CHECK(uri_to_path("file:///") == "/");
}

TEST_CASE("Windows drive URIs are kept as paths", "[protocol][uri]") {
  CHECK(uri_to_path("file:///C:/x/y.py") == "/C:/x/y.py");
  CHECK(uri_to_path("file:///c%3A/Users/me") == "/c:/Users/me");
}

TEST_CASE("query and fragment are not part of the path", "[protocol][uri]") {
  CHECK(uri_to_path("file:///a/b.ipynb#cell=3") == "/a/b.ipynb");
  CHECK(uri_to_path("file:///a/b.py?version=2") == "/a/b.py");
  CHECK(uri_to_path("file:///a/what%3F.py") == "/a/what?.py");
}

TEST_CASE("a remote authority becomes a UNC-style path", "[protocol][uri]") {
  CHECK(uri_to_path("file://server/share/x.py") == "//server/share/x.py");
}

TEST_CASE("malformed percent escapes are kept literally", "[protocol][uri]") {
  CHECK(uri_to_path("file:///a/100%") == "/a/100%");
  CHECK(uri_to_path("file:///a/%zz") == "/a/%zz");
  CHECK(uri_to_path("file:///a/%4") == "/a/%4");
}

TEST_CASE("non-file and unusable URIs are rejected", "[protocol][uri]") {
  CHECK(uri_to_path("untitled:Untitled-1") == std::nullopt);
  CHECK(uri_to_path("vscode-notebook-cell:/a/b.ipynb#W0sZmlsZQ") == std::nullopt);
  CHECK(uri_to_path("https://example.org/x.py") == std::nullopt);
  CHECK(uri_to_path("/plain/path") == std::nullopt);
  CHECK(uri_to_path("") == std::nullopt);
  CHECK(uri_to_path("file:relative/x.py") == std::nullopt);
  CHECK(uri_to_path("file://server") == std::nullopt);
  CHECK(uri_to_path("file:///a/%00b") == std::nullopt);  // would smuggle a NUL into the path
  CHECK(uri_to_path("files:///a") == std::nullopt);
}

TEST_CASE("paths encode to file URIs", "[protocol][uri]") {
  CHECK(path_to_uri("/home/u/train.py") == "file:///home/u/train.py");
  CHECK(path_to_uri("/home/u/my project/a#b?.py") == "file:///home/u/my%20project/a%23b%3F.py");
  CHECK(path_to_uri("/100%/x") == "file:///100%25/x");
  CHECK(path_to_uri("/tmp/caf\xC3\xA9.py") == "file:///tmp/caf%C3%A9.py");
  CHECK(path_to_uri("/keep/A-z_0.9~") == "file:///keep/A-z_0.9~");
  CHECK(path_to_uri("/c:/x") == "file:///c%3A/x");
  CHECK(path_to_uri("relative/x") == "file:///relative/x");
  CHECK(path_to_uri("/") == "file:///");
}

TEST_CASE("paths round-trip through URIs", "[protocol][uri]") {
  const std::string path =
      GENERATE(as<std::string>{}, "/simple/file.py", "/with space/and#hash", "/per%cent/q?uery",
               "/\xE6\x97\xA5\xE6\x9C\xAC/\xF0\x9F\x98\x80.py", "/a+b=c;d,e@f!g$h&i'j(k)l*m",
               "//server/share/x", "/C:/win", "/tab\there/new\nline", "/trailing/");
  INFO(path);
  const std::string uri = path_to_uri(path);
  CHECK(uri.starts_with("file:///"));
  CHECK(uri.find(' ') == std::string::npos);
  CHECK(uri_to_path(uri) == path);
}
