#include "analysis/lanes.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <utility>

namespace mlroast {

void Lanes::fail(std::exception_ptr error) {
  if (!error) return;
  if (!error_) error_ = std::move(error);
  front_ = back_;
}

bool Lanes::claim_walk() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (walk_claimed_) return false;
  walk_claimed_ = true;
  return true;
}

void Lanes::walk_done(std::exception_ptr error) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    walked_ = true;
    fail(std::move(error));
  }
  changed_.notify_all();
}

void Lanes::wait_walk() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return walked_; });
}

void Lanes::program_ready(bool ok) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    program_ready_ = true;
    if (!ok) front_ = back_;
  }
  changed_.notify_all();
}

void Lanes::wait_program() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return program_ready_; });
}

std::optional<std::size_t> Lanes::take(bool helper) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (front_ >= back_) return std::nullopt;
  if (!helper) return front_++;
  ++helper_running_;
  return --back_;
}

void Lanes::helper_finished(std::exception_ptr error) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --helper_running_;
    fail(std::move(error));
  }
  changed_.notify_all();
}

void Lanes::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  front_ = back_;
}

std::exception_ptr Lanes::wait_helper() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return front_ >= back_ && helper_running_ == 0; });
  return error_;
}

void post_to_analysis_helper(std::function<void()> task) {
  // One thread for the process, started on first use.
  static boost::asio::thread_pool pool(1);
  boost::asio::post(pool, std::move(task));
}

}  // namespace mlroast
