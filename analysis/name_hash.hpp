// The hash of the analysis' name tables: identifiers, qualified names ("sklearn.preprocessing.
// StandardScaler") and literals, looked up tens of thousands of times per analysis. Names are
// short, so this reads them in at most a few (overlapping) 8-byte words and mixes once per word
// (splitmix64's finaliser), with no byte loop; it is transparent, so a table keyed by
// std::string is searched with a std::string_view of the source text without building a string.
// Not for untrusted keys in a long-lived table: the tables it serves live for one analysis (or
// are bounded memos) and a collision costs time, never a wrong answer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace mlroast {

struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept {
    const char* p = s.data();
    const size_t n = s.size();
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    if (n >= 8) {
      for (size_t i = 0; i + 8 <= n; i += 8) h = mix(h ^ load<uint64_t>(p + i));
      if (n % 8 != 0) h = mix(h ^ load<uint64_t>(p + n - 8));  // the last word, overlapping
      return static_cast<size_t>(h);
    }
    uint64_t word = 0;
    if (n >= 4)
      word = load<uint32_t>(p) | static_cast<uint64_t>(load<uint32_t>(p + n - 4)) << 32;
    else if (n > 0)
      word = static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[n / 2]) << 8 |
             static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
    return static_cast<size_t>(mix(h ^ word));
  }

 private:
  template <class T>
  static T load(const char* p) noexcept {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static uint64_t mix(uint64_t x) noexcept {
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
  }
};

}  // namespace mlroast
