// NameHash reads names in whole (overlapping) words: every byte of every length must count, or
// names that differ in one character would share a bucket chain and the tables would slow down.
#include <catch2/catch.hpp>

#include <string>
#include <unordered_map>
#include <unordered_set>

#include "analysis/name_hash.hpp"

using mlroast::NameHash;

TEST_CASE("every byte of a name changes its hash, at every length", "[name_hash]") {
  const NameHash hash;
  const std::string base = "sklearn.preprocessing.StandardScaler.fit_transform";
  for (size_t len = 0; len <= base.size(); ++len) {
    const std::string name = base.substr(0, len);
    const size_t h = hash(name);
    for (size_t i = 0; i < len; ++i) {
      std::string changed = name;
      changed[i] = static_cast<char>(changed[i] ^ 0x01);
      INFO("length " << len << ", byte " << i);
      CHECK(hash(changed) != h);
    }
    if (len > 0) CHECK(hash(name) != hash(base.substr(0, len - 1)));  // the length counts
  }
}

TEST_CASE("identifiers of a script hash apart", "[name_hash]") {
  const NameHash hash;
  std::unordered_set<size_t> seen;
  size_t names = 0;
  for (const char* stem : {"X", "y", "X_train", "X_test", "y_train", "y_test", "df", "model"})
    for (int i = 0; i < 200; ++i) {
      seen.insert(hash(std::string(stem) + std::to_string(i)));
      ++names;
    }
  CHECK(seen.size() == names);
}

TEST_CASE("a table keyed by std::string is searched with a string_view", "[name_hash]") {
  std::unordered_map<std::string, int, NameHash, std::equal_to<>> table;
  table.emplace("pandas.read_csv", 1);
  const std::string text = "df = pandas.read_csv(path)";
  const std::string_view callee = std::string_view(text).substr(5, 15);
  REQUIRE(table.find(callee) != table.end());
  CHECK(table.find(callee)->second == 1);
  CHECK(table.find(std::string_view(text).substr(5, 14)) == table.end());
}
