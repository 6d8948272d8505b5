// The reference the benchmarks compare against: one plain tree-sitter parse of a text, with the
// tree freed, and nothing of mlroast's (no statement split, no flat copy of the nodes).
#pragma once

#include <cstdint>
#include <string_view>

#include <tree_sitter/api.h>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace mlroast::bench {

class BareParser {
 public:
  BareParser() : p_(ts_parser_new()) { ts_parser_set_language(p_, tree_sitter_python()); }
  ~BareParser() { ts_parser_delete(p_); }
  BareParser(const BareParser&) = delete;
  BareParser& operator=(const BareParser&) = delete;

  // Parses `text` and returns the root's child count (for the caller's sink).
  uint32_t parse(std::string_view text) {
    TSTree* t = ts_parser_parse_string(p_, nullptr, text.data(), static_cast<uint32_t>(text.size()));
    uint32_t n = ts_node_child_count(ts_tree_root_node(t));
    ts_tree_delete(t);
    return n;
  }

 private:
  TSParser* p_;
};

}  // namespace mlroast::bench
