// Running a review end to end, shared by `mlroast review` and the server's
// `mlroast.reviewWorkspace` command: list the workspace, read and analyse every Python source
// with the selection the configuration resolver gives it (files its config excludes are left
// out), filter the project findings through the same resolver, and build the report. Sequential
// and synchronous; the caller chooses the thread (the server runs it on a worker). The hooks
// report progress and let the caller cancel between files.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analysis/config/resolver.hpp"
#include "analysis/review/report.hpp"

namespace mlroast::review {

struct ReviewHooks {
  std::function<void(std::size_t done, std::size_t total)> progress;  // after each file
  std::function<bool()> cancelled;                                    // checked before each file
};

struct ReviewRun {
  std::optional<Report> report;      // nullopt when cancelled or on a configuration error
  std::vector<std::string> errors;   // configuration errors, unreadable files
  bool cancelled = false;
};

// Reviews `root` (a folder). `python_files` are absolute paths of the sources to analyse; when
// empty, every *.py / *.pyi of the workspace listing is taken. `resolver` must be used by this
// thread only for the duration of the call.
ReviewRun run_review(const std::filesystem::path& root, std::vector<std::filesystem::path> python_files,
                     ConfigResolver& resolver, const ReviewHooks& hooks = {});

}  // namespace mlroast::review
