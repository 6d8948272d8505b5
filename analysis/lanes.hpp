// How the two threads of a parallel analysis (AnalysisOptions::parallel) share its work: the
// calling thread and one helper thread for the whole process.
//
// - The walk (with the rules that need no lineage program) goes to whichever thread claims it
//   first: the helper, while the calling thread builds the program; or the calling thread
//   itself, once the program is built, when the helper has not started (busy with another
//   analysis, or not scheduled on a loaded machine).
// - The rules that need the program are taken one at a time from both ends of the rule list:
//   the calling thread from the front, the helper from the back. The first rules of each end
//   build different shared facts (the leak search for ML1xx, the workflow facts for ML4xx), so
//   the two threads build them side by side instead of one waiting for the other's.
// - The calling thread waits only for work the helper has started, never for the helper to
//   wake up. A helper that arrives after everything is done finds nothing to claim or take and
//   touches nothing but its Lanes, which its task keeps alive (a shared_ptr).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>

namespace mlroast {

class Lanes {
 public:
  explicit Lanes(std::size_t rules) : back_(rules) {}
  Lanes(const Lanes&) = delete;
  Lanes& operator=(const Lanes&) = delete;

  // True for the first caller: it walks, then calls walk_done().
  bool claim_walk();
  // The walk is over; a walk that failed ends the analysis (no rule is taken any more, and
  // wait_helper() returns its error).
  void walk_done(std::exception_ptr error);
  void wait_walk();

  // The program is built (or failed: no rule that needs it is taken then).
  void program_ready(bool ok);
  void wait_program();

  // The next rule index from the front (the calling thread) or the back (the helper), or
  // nullopt when none is left. A rule the helper takes is running until helper_finished().
  std::optional<std::size_t> take(bool helper);
  void helper_finished(std::exception_ptr error);
  // No rule is taken any more (the calling thread failed).
  void close();
  // Waits until no rule is left to take and none runs on the helper; the first error given to
  // walk_done() or helper_finished().
  std::exception_ptr wait_helper();

 private:
  // With mutex_ held: keeps the first error and stops handing out rules.
  void fail(std::exception_ptr error);

  std::mutex mutex_;
  std::condition_variable changed_;
  bool walk_claimed_ = false;
  bool walked_ = false;
  bool program_ready_ = false;
  std::size_t front_ = 0;
  std::size_t back_;
  int helper_running_ = 0;
  std::exception_ptr error_;
};

// Runs `task` on the helper thread of parallel analyses, after the tasks posted before it.
void post_to_analysis_helper(std::function<void()> task);

}  // namespace mlroast
