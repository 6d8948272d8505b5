// The scheduler: runs keyed background jobs in three steps. After a per-key debounce on the main
// io_context, `prepare` runs on the main thread (it takes a snapshot of whatever the job needs
// and returns the work, or nothing to skip); the work runs on a small Boost.Asio thread pool and
// returns a continuation; the continuation is posted back to the main io_context, where it may
// touch session state again (this is where stale results are recognised and dropped). Scheduling
// a key again before its debounce expires restarts the wait, so a burst of edits produces one
// job. In synchronous mode (tests, `--sync`) the three steps run inline, one after the other,
// inside schedule(): no timer, no thread, deterministic message order.
// Thread rules: every member function is called on the main thread (the thread that runs the
// main io_context); only the work step of a job runs elsewhere, and it must not touch state that
// belongs to the main thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace mlroast::server {

class Scheduler {
 public:
  using Continuation = std::function<void()>;  // main thread
  using Work = std::function<Continuation()>;  // a worker thread; may return an empty function
  using Prepare = std::function<Work()>;       // main thread; an empty Work skips the job

  // `workers` threads are started unless `synchronous`; `main` must outlive the scheduler.
  Scheduler(boost::asio::io_context& main, bool synchronous, unsigned workers);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Runs `prepare` once `delay` has passed without another schedule() of the same key; a zero
  // delay still goes through the main io_context (never re-entrantly) unless synchronous.
  void schedule(const std::string& key, std::chrono::milliseconds delay, Prepare prepare);
  // Forgets a key: a pending debounce is abandoned (work already running still completes and
  // its continuation still runs, so continuations must check that their result is current).
  void cancel(const std::string& key);
  // Abandons every pending debounce and queued job, waits for running work to finish and joins
  // the workers. Later schedule() calls are ignored. Idempotent; the destructor calls it.
  void stop();

  bool synchronous() const noexcept { return synchronous_; }

 private:
  struct Pending {
    explicit Pending(boost::asio::io_context& io) : timer(io) {}
    boost::asio::steady_timer timer;
    std::uint64_t armed = 0;  // which schedule() call the timer currently waits for
  };

  void start(const Prepare& prepare);

  boost::asio::io_context& main_;
  bool synchronous_;
  bool stopped_ = false;
  std::optional<boost::asio::thread_pool> pool_;
  std::map<std::string, std::unique_ptr<Pending>> pending_;
  std::uint64_t next_arm_ = 1;
};

}  // namespace mlroast::server
