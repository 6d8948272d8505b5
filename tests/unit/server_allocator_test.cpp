#include <catch2/catch.hpp>
#include <cstdlib>

#include "server/allocator.hpp"

#ifdef MLROAST_USES_MIMALLOC
#include <mimalloc.h>
#endif

using mlroast::server::tune_allocator_for_typing;

TEST_CASE("the server keeps emptied pages committed between keystrokes", "[server][allocator]") {
#ifdef MLROAST_USES_MIMALLOC
  if (std::getenv("MIMALLOC_DECOMMIT_DELAY") != nullptr ||
      std::getenv("MIMALLOC_RESET_DELAY") != nullptr) {
    CHECK_THAT(tune_allocator_for_typing(), Catch::Contains("from the environment"));
    return;
  }
  const long before = mi_option_get(mi_option_decommit_delay);
  const std::string said = tune_allocator_for_typing();
  CHECK(mi_option_get(mi_option_decommit_delay) == mlroast::server::kDecommitDelayMs);
  CHECK(said == "allocator: mimalloc, decommit delay 1000 ms");
  mi_option_set(mi_option_decommit_delay, before);  // the other tests run with the default
#else
  CHECK(tune_allocator_for_typing() == "allocator: the C library's (no tuning)");
#endif
}
