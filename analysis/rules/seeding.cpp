#include "analysis/rules/seeding.hpp"

#include <string>

#include "analysis/lineage/library.hpp"
#include "analysis/rules/call_name.hpp"

namespace mlroast::rules {

namespace {

bool is_all_in_one(const std::string& q) {
  std::string_view n = lineage::library::last_name(q);
  std::string_view m = lineage::library::module_of(q);
  if (n == "seed_everything") return true;  // lightning, pytorch_lightning, lightning_fabric
  if (n == "set_random_seed" && m.find("keras") != std::string_view::npos) return true;
  if (n == "set_seed" && (m == "transformers" || m.starts_with("transformers.") ||
                          m == "accelerate.utils" || m == "accelerate"))
    return true;
  // A project helper imported from another module (`from utils import set_seed`): its body is
  // out of sight, and the name says what it is for. Library functions are named above.
  if (m.empty()) return false;
  bool library = m.starts_with("numpy") || m.starts_with("torch") || m.starts_with("random") ||
                 m.starts_with("tensorflow") || m.starts_with("sklearn");
  return !library && (n == "set_seed" || n == "set_seeds" || n == "seed_all" || n == "fix_seed" ||
                      n == "fix_seeds" || n == "set_global_seed" || n == "seed_everything" ||
                      n == "set_all_seeds" || n == "set_random_seeds");
}

// The value assigned to `target` is the literal True / False.
bool assigned_literal(syntax::Node assignment, std::string_view text, std::string_view literal) {
  syntax::Node right = assignment.field("right");
  return right && right.text(text) == literal;
}

}  // namespace

void Seeding::scan(syntax::Node n, const semantic::SemanticModel& sem) {
  Seeding& s = *this;
  std::string_view text = sem.text();
  [&] {
    std::string_view k = n.kind();
    if (k == "call") {
      std::string_view last = call_last_name(n, text);
      if (last.find("seed") == std::string_view::npos &&
          last != "use_deterministic_algorithms" && !callee_is_imported_name(n, sem))
        return true;
      const std::string& q = sem.callee(n);
      // Every seeding function below has "seed" in its name but one (most imported calls are
      // not about seeds: read_csv, StandardScaler...).
      if (q.find("seed") == std::string::npos && q != "torch.use_deterministic_algorithms")
        return true;
      if (q == "numpy.random.seed") s.numpy = s.numpy ? s.numpy : n;
      else if (q == "random.seed") s.python_random = s.python_random ? s.python_random : n;
      else if (q == "torch.manual_seed" || q == "torch.random.manual_seed")
        s.torch = s.torch ? s.torch : n;
      else if (q == "torch.cuda.manual_seed" || q == "torch.cuda.manual_seed_all")
        s.torch_cuda = s.torch_cuda ? s.torch_cuda : n;
      else if (q == "tensorflow.random.set_seed" || q == "tensorflow.set_random_seed")
        s.tensorflow = s.tensorflow ? s.tensorflow : n;
      else if (q == "torch.use_deterministic_algorithms") {
        syntax::Node args = n.field("arguments");
        if (args && args.named_child_count() > 0 && args.named_child(0).text(text) == "True")
          s.deterministic_algorithms = n;
      } else if (!q.empty() && is_all_in_one(q))
        s.everything = s.everything ? s.everything : n;
    } else if (k == "string") {
      if (n.text(text).find("PYTHONHASHSEED") != std::string_view::npos && !s.hashseed)
        s.hashseed = n;
    } else if (k == "assignment") {
      syntax::Node left = n.field("left");
      if (left && left.kind() == "attribute") {
        const std::string& q = sem.qualified_name(left);
        if (q == "torch.backends.cudnn.deterministic" && assigned_literal(n, text, "True"))
          s.cudnn_deterministic = n;
        if (q == "torch.backends.cudnn.benchmark" && assigned_literal(n, text, "False"))
          s.cudnn_benchmark_off = n;
      }
    }
    return true;
  }();
}

Seeding find_seeding(syntax::Node root, const semantic::SemanticModel& sem) {
  Seeding s;
  syntax::walk(root, [&](syntax::Node n) {
    std::string_view k = n.kind();
    if (k == "call" || k == "string" || k == "assignment") s.scan(n, sem);
    return true;
  });
  return s;
}

}  // namespace mlroast::rules
