#include "server/scheduler.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <exception>
#include <utility>

namespace mlroast::server {
namespace {

// Runs a worker step; an exception is logged rather than allowed to terminate the worker thread.
Scheduler::Continuation run_work(const Scheduler::Work& work) {
  try {
    return work();
  } catch (const std::exception& e) {
    spdlog::error("scheduler: background job failed: {}", e.what());
  } catch (...) {
    spdlog::error("scheduler: background job failed with a non-standard exception");
  }
  return {};
}

}  // namespace

Scheduler::Scheduler(boost::asio::io_context& main, bool synchronous, unsigned workers)
    : main_(main), synchronous_(synchronous) {
  if (!synchronous_) pool_.emplace(std::max(1u, workers));
}

Scheduler::~Scheduler() { stop(); }

void Scheduler::schedule(const std::string& key, std::chrono::milliseconds delay, Prepare prepare) {
  if (stopped_) return;
  if (synchronous_) {
    if (Work work = prepare()) {
      if (Continuation done = run_work(work)) done();
    }
    return;
  }
  auto& slot = pending_[key];
  if (!slot) slot = std::make_unique<Pending>(main_);
  const std::uint64_t arm = next_arm_++;
  slot->armed = arm;
  // Re-arming cancels the previous wait: its handler sees operation_aborted and does nothing.
  slot->timer.expires_after(delay);
  slot->timer.async_wait(
      [this, key, arm, prepare = std::move(prepare)](const boost::system::error_code& error) {
        if (error || stopped_) return;
        // A wait that had already completed when schedule() re-armed the timer still arrives
        // here with success: only the latest arm may start the job.
        const auto found = pending_.find(key);
        if (found == pending_.end() || found->second->armed != arm) return;
        start(prepare);
      });
}

void Scheduler::start(const Prepare& prepare) {
  Work work = prepare();
  if (!work) return;
  boost::asio::post(*pool_, [this, work = std::move(work)] {
    Continuation done = run_work(work);
    if (!done) return;
    // Back to the main thread; `stopped_` is only ever read there.
    boost::asio::post(main_, [this, done = std::move(done)] {
      if (!stopped_) done();
    });
  });
}

void Scheduler::cancel(const std::string& key) {
  const auto found = pending_.find(key);
  if (found == pending_.end()) return;
  found->second->timer.cancel();
  pending_.erase(found);
}

void Scheduler::stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto& [key, slot] : pending_) slot->timer.cancel();
  pending_.clear();
  if (pool_) {
    pool_->stop();
    pool_->join();
  }
}

}  // namespace mlroast::server
