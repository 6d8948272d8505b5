#include "protocol/framing.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <utility>

namespace mlroast::protocol {
namespace {

constexpr std::string_view kContentLength = "content-length";

char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

std::string_view trim(std::string_view s) noexcept {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Outcome of parsing one Content-Length value.
struct LengthValue {
  std::optional<std::size_t> length;  // set when valid and within the limit
  std::optional<FramingError> error;
};

LengthValue parse_content_length(std::string_view raw, std::size_t max_length) {
  const std::string_view value = trim(raw);
  const auto quoted = "'" + std::string(value) + "'";
  if (value.empty()) {
    return {std::nullopt,
            FramingError{FramingErrorKind::InvalidContentLength, "empty Content-Length value"}};
  }
  if (value.front() == '-') {
    return {std::nullopt, FramingError{FramingErrorKind::InvalidContentLength,
                                       "negative Content-Length " + quoted}};
  }
  if (!std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return {std::nullopt, FramingError{FramingErrorKind::InvalidContentLength,
                                       "non-numeric Content-Length " + quoted}};
  }
  std::uint64_t parsed = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec == std::errc::result_out_of_range || parsed > max_length) {
    return {std::nullopt, FramingError{FramingErrorKind::ContentLengthTooLarge,
                                       "Content-Length " + quoted + " exceeds the limit of " +
                                           std::to_string(max_length) + " bytes"}};
  }
  return {static_cast<std::size_t>(parsed), std::nullopt};
}

}  // namespace

std::string_view to_string(FramingErrorKind kind) noexcept {
  switch (kind) {
    case FramingErrorKind::MissingContentLength:
      return "missing Content-Length";
    case FramingErrorKind::InvalidContentLength:
      return "invalid Content-Length";
    case FramingErrorKind::ContentLengthTooLarge:
      return "Content-Length too large";
    case FramingErrorKind::MalformedHeader:
      return "malformed header";
  }
  return "unknown framing error";
}

ReadResult ReadResult::message(std::string body) { return ReadResult(std::move(body)); }

ReadResult ReadResult::error(FramingErrorKind kind, std::string description) {
  return ReadResult(FramingError{kind, std::move(description)});
}

MessageReader::MessageReader(std::size_t max_content_length)
    : max_content_length_(max_content_length) {}

void MessageReader::feed(std::string_view bytes) {
  compact();
  buffer_.append(bytes);
}

void MessageReader::compact() {
  if (pos_ == 0) return;
  buffer_.erase(0, pos_);
  pos_ = 0;
}

std::optional<ReadResult> MessageReader::next() {
  for (;;) {
    if (pending_) {
      if (pending_->discard) {
        const std::size_t n = std::min(pending_->remaining, buffered());
        pos_ += n;
        pending_->remaining -= n;
        if (pending_->remaining > 0) return std::nullopt;
        pending_.reset();
        continue;
      }
      return read_body();
    }
    if (resyncing_ && !resynchronise()) return std::nullopt;
    if (auto error = read_header_block()) return error;
    if (!pending_) return std::nullopt;  // header block incomplete
  }
}

std::optional<ReadResult> MessageReader::read_body() {
  if (buffered() < pending_->remaining) return std::nullopt;
  std::string body = buffer_.substr(pos_, pending_->remaining);
  pos_ += pending_->remaining;
  pending_.reset();
  return ReadResult::message(std::move(body));
}

// Scans the header block at pos_. On a complete, valid block: consumes it, sets pending_, returns
// nullopt. On a complete, invalid block: consumes it (and arranges to skip its body) and returns
// the error. On an incomplete block: consumes nothing and returns nullopt (pending_ stays empty).
std::optional<ReadResult> MessageReader::read_header_block() {
  std::optional<std::size_t> length;
  std::optional<FramingError> error;
  std::size_t cursor = pos_;
  for (;;) {
    const std::size_t newline = buffer_.find('\n', cursor);
    if (newline == std::string::npos || newline - pos_ > kMaxHeaderBlockBytes) {
      if (buffer_.size() - pos_ <= kMaxHeaderBlockBytes) return std::nullopt;
      pos_ = buffer_.size() - (kContentLength.size() - 1);  // keep a possibly split header name
      resyncing_ = true;
      return ReadResult::error(FramingErrorKind::MalformedHeader,
                               "header block longer than " + std::to_string(kMaxHeaderBlockBytes) +
                                   " bytes without a terminating blank line");
    }
    std::string_view line(buffer_.data() + cursor, newline - cursor);
    cursor = newline + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;

    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      if (!error) {
        error = FramingError{FramingErrorKind::MalformedHeader,
                             "header line without ':': '" + std::string(line.substr(0, 80)) + "'"};
      }
      continue;
    }
    if (!iequals(trim(line.substr(0, colon)), kContentLength)) continue;  // e.g. Content-Type
    LengthValue value = parse_content_length(line.substr(colon + 1), max_content_length_);
    if (value.error) {
      if (!error) error = std::move(value.error);
    } else if (length && *length != *value.length) {
      if (!error) {
        error = FramingError{FramingErrorKind::InvalidContentLength,
                             "conflicting Content-Length headers"};
      }
    } else {
      length = value.length;
    }
  }
  pos_ = cursor;  // the header block, including its blank line, is consumed

  if (!error && !length) {
    error = FramingError{FramingErrorKind::MissingContentLength,
                         "header block without a Content-Length header"};
  }
  if (!error) {
    pending_ = PendingBody{*length, false};
    return std::nullopt;
  }
  if (length && error->kind == FramingErrorKind::MalformedHeader) {
    pending_ = PendingBody{*length, true};  // the length is trustworthy: skip exactly the body
  } else {
    resyncing_ = true;
  }
  return ReadResult::error(error->kind, std::move(error->description));
}

// Skips to the next occurrence of a Content-Length header name. Returns false when none is
// buffered yet; then only a tail that could be the start of a split header name is kept.
bool MessageReader::resynchronise() {
  const auto begin = buffer_.begin() + static_cast<std::ptrdiff_t>(pos_);
  const auto found = std::search(begin, buffer_.end(), kContentLength.begin(), kContentLength.end(),
                                 [](char a, char b) { return ascii_lower(a) == ascii_lower(b); });
  if (found == buffer_.end()) {
    const std::size_t keep = kContentLength.size() - 1;
    if (buffered() > keep) {
      spdlog::debug("framing: skipped {} bytes while resynchronising", buffered() - keep);
      pos_ = buffer_.size() - keep;
    }
    return false;
  }
  const auto skipped = static_cast<std::size_t>(found - begin);
  if (skipped > 0) spdlog::debug("framing: skipped {} bytes while resynchronising", skipped);
  pos_ += skipped;
  resyncing_ = false;
  return true;
}

std::string frame(std::string_view body) {
  std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out.append(body);
  return out;
}

}  // namespace mlroast::protocol
