#include "server/allocator.hpp"

#include <cstdlib>

#ifdef MLROAST_USES_MIMALLOC
#include <mimalloc.h>
#endif

namespace mlroast::server {

std::string tune_allocator_for_typing() {
#ifdef MLROAST_USES_MIMALLOC
  // mimalloc reads its environment at process start; a user's setting wins over ours.
  if (std::getenv("MIMALLOC_DECOMMIT_DELAY") != nullptr ||
      std::getenv("MIMALLOC_RESET_DELAY") != nullptr)
    return "allocator: mimalloc, decommit delay " +
           std::to_string(mi_option_get(mi_option_decommit_delay)) + " ms (from the environment)";
  mi_option_set(mi_option_decommit_delay, kDecommitDelayMs);
  return "allocator: mimalloc, decommit delay " +
         std::to_string(mi_option_get(mi_option_decommit_delay)) + " ms";
#else
  return "allocator: the C library's (no tuning)";
#endif
}

}  // namespace mlroast::server
