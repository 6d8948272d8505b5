// Base-protocol framing of the Language Server Protocol: splitting a byte stream into message
// bodies delimited by `Content-Length` headers, and producing such frames. MessageReader owns a
// buffer of not-yet-consumed bytes; it knows nothing of JSON or of where the bytes come from (the
// caller reads stdin and feeds it). Malformed header blocks are reported as FramingError values,
// never thrown, and the reader resynchronises on the next `Content-Length` header so one bad frame
// never stalls the stream. Header names are case-insensitive, headers other than Content-Length
// are ignored, and both `\r\n` and bare `\n` line endings are accepted in the header block.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace mlroast::protocol {

enum class FramingErrorKind {
  MissingContentLength,   // a header block ended without a Content-Length header
  InvalidContentLength,   // value not a non-negative decimal integer, or conflicting duplicates
  ContentLengthTooLarge,  // value above the reader's limit: the body is never awaited
  MalformedHeader,        // a header line without ':' or a header block that never ends
};

std::string_view to_string(FramingErrorKind kind) noexcept;

struct FramingError {
  FramingErrorKind kind;
  std::string description;
};

// One outcome of MessageReader::next(): either a complete message body or a framing error.
class ReadResult {
 public:
  static ReadResult message(std::string body);
  static ReadResult error(FramingErrorKind kind, std::string description);

  bool is_message() const noexcept { return std::holds_alternative<std::string>(value_); }
  bool is_error() const noexcept { return !is_message(); }
  // Precondition: is_message(). The reference lives as long as this ReadResult.
  const std::string& body() const { return std::get<std::string>(value_); }
  std::string take_body() && { return std::get<std::string>(std::move(value_)); }
  // Precondition: is_error().
  const FramingError& error() const { return std::get<FramingError>(value_); }

 private:
  explicit ReadResult(std::variant<std::string, FramingError> value) : value_(std::move(value)) {}
  std::variant<std::string, FramingError> value_;
};

inline constexpr std::size_t kDefaultMaxContentLength = std::size_t{64} * 1024 * 1024;
// A header block longer than this without its terminating blank line is treated as malformed.
inline constexpr std::size_t kMaxHeaderBlockBytes = 8 * 1024;

// Incremental decoder of framed messages. Not thread-safe: one owner (the transport) feeds it and
// drains it, typically `feed(chunk); while (auto r = reader.next()) ...`.
class MessageReader {
 public:
  explicit MessageReader(std::size_t max_content_length = kDefaultMaxContentLength);

  // Appends raw bytes (any split: mid-header, mid-body, several messages at once). Copies them.
  void feed(std::string_view bytes);

  // Extracts the next complete message body or framing error; nullopt when more bytes are needed.
  // After an error the offending header block is dropped (and, when its length was known, its
  // body too); the reader then skips to the next `Content-Length` header it sees.
  std::optional<ReadResult> next();

  // Bytes fed but not yet consumed (buffered header or body parts, or skipped garbage).
  std::size_t buffered() const noexcept { return buffer_.size() - pos_; }

 private:
  // A parsed header block whose body has not fully arrived yet.
  struct PendingBody {
    std::size_t remaining;  // body bytes still expected
    bool discard;           // the header block was reported as an error: drop the body
  };

  std::optional<ReadResult> read_header_block();
  std::optional<ReadResult> read_body();
  bool resynchronise();
  void compact();

  std::size_t max_content_length_;
  std::string buffer_;
  std::size_t pos_ = 0;  // start of unconsumed bytes in buffer_
  std::optional<PendingBody> pending_;
  bool resyncing_ = false;
};

// Frames a body for writing: "Content-Length: N\r\n\r\n" followed by the body. Pure function.
std::string frame(std::string_view body);

}  // namespace mlroast::protocol
