#include "protocol/diagnostics_writer.hpp"

#include <array>
#include <charconv>
#include <cstdint>

#include "protocol/byte_scan.hpp"
#include "protocol/utf8.hpp"

namespace mlroast::protocol {
namespace {

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF),
// the only strings the fast escaper handles; anything else goes through nlohmann so that the
// replacement characters land exactly where serialize() puts them.
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; (i = skip_ascii(s, i, s.size())) < s.size();) {
    const std::size_t len = utf8_sequence_length(s, i, s.size());
    if (len == 0) return false;
    i += len;
  }
  return true;
}

void put_string(std::string& out, std::string_view s) {
  // Most strings (codes, links, messages) need no escape at all: find the first byte that does
  // 8 bytes at a time, and copy everything up to it in one piece.
  std::size_t i = skip_json_plain(s, 0);
  if (i < s.size() && !valid_utf8(s.substr(i))) {  // the skipped prefix is ASCII
    out += json(s).dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  // `i` is always at a byte skip_json_plain stopped on: an escape, or non-ASCII.
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {  // part of a valid UTF-8 sequence: copied as is
      i = skip_json_plain(s, i + 1);
      continue;
    }
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
    i = skip_json_plain(s, i + 1);
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void put_uint(std::string& out, std::uint64_t v) {
  std::array<char, 24> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), end);
}

void put_int(std::string& out, std::int64_t v) {
  std::array<char, 24> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), end);
}

void put_position(std::string& out, const Position& p) {
  out += "{\"character\":";
  put_uint(out, p.character);
  out += ",\"line\":";
  put_uint(out, p.line);
  out += '}';
}

void put_range(std::string& out, const Range& r) {
  out += "{\"end\":";
  put_position(out, r.end);
  out += ",\"start\":";
  put_position(out, r.start);
  out += '}';
}

// Keys in nlohmann's (std::map) order: code, codeDescription, data, message, range,
// relatedInformation, severity, source.
void put_diagnostic(std::string& out, const Diagnostic& d) {
  out += '{';
  bool first = true;
  auto key = [&](std::string_view k) {
    if (!first) out += ',';
    first = false;
    out += '"';
    out += k;
    out += "\":";
  };
  if (!d.code.empty()) {
    key("code");
    put_string(out, d.code);
  }
  if (d.code_description) {
    key("codeDescription");
    out += "{\"href\":";
    put_string(out, d.code_description->href);
    out += '}';
  }
  if (d.data) {
    key("data");
    out += d.data->dump(-1, ' ', false, json::error_handler_t::replace);
  }
  key("message");
  put_string(out, d.message);
  key("range");
  put_range(out, d.range);
  if (!d.related_information.empty()) {
    key("relatedInformation");
    out += '[';
    for (std::size_t i = 0; i < d.related_information.size(); ++i) {
      const DiagnosticRelatedInformation& r = d.related_information[i];
      if (i > 0) out += ',';
      out += "{\"location\":{\"range\":";
      put_range(out, r.location.range);
      out += ",\"uri\":";
      put_string(out, r.location.uri);
      out += "},\"message\":";
      put_string(out, r.message);
      out += '}';
    }
    out += ']';
  }
  key("severity");
  put_int(out, static_cast<std::int64_t>(d.severity));
  if (!d.source.empty()) {
    key("source");
    put_string(out, d.source);
  }
  out += '}';
}

}  // namespace

std::string publish_diagnostics_body(std::string_view uri, std::optional<std::int32_t> version,
                                     const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  out.reserve(128 + diagnostics.size() * 512);
  out += R"({"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"diagnostics":[)";
  for (std::size_t i = 0; i < diagnostics.size(); ++i) {
    if (i > 0) out += ',';
    put_diagnostic(out, diagnostics[i]);
  }
  out += "],\"uri\":";
  put_string(out, uri);
  if (version) {
    out += ",\"version\":";
    put_int(out, *version);
  }
  out += "}}";
  return out;
}

}  // namespace mlroast::protocol
