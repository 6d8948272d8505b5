// What a file does to make its random number generators reproducible: which global seeds it sets
// (NumPy, Python's `random`, torch, torch.cuda, TensorFlow, PYTHONHASHSEED, an all-in-one helper
// such as Lightning's `seed_everything`) and the cuDNN determinism flags. Shared by the
// reproducibility rules ML601-ML603, which judge the whole file from it. Calls are resolved by
// qualified name through the semantic model, so `import numpy as xp; xp.random.seed(0)` counts.
#pragma once

#include "analysis/semantic/model.hpp"
#include "analysis/syntax/tree.hpp"

namespace mlroast::rules {

struct Seeding {
  syntax::Node numpy;          // np.random.seed(...)
  syntax::Node python_random;  // random.seed(...)
  syntax::Node torch;          // torch.manual_seed(...)
  syntax::Node torch_cuda;     // torch.cuda.manual_seed(...) / manual_seed_all(...)
  syntax::Node tensorflow;     // tf.random.set_seed(...)
  // A helper that seeds every library at once: Lightning's seed_everything, transformers'
  // set_seed, keras.utils.set_random_seed, or a project helper imported from elsewhere named
  // set_seed / seed_everything / seed_all / fix_seed ... (its body cannot be seen: trusted).
  syntax::Node everything;
  syntax::Node hashseed;       // a string literal "PYTHONHASHSEED" (os.environ[...] = ...)
  syntax::Node cudnn_deterministic;  // torch.backends.cudnn.deterministic = True
  syntax::Node cudnn_benchmark_off;  // torch.backends.cudnn.benchmark = False
  syntax::Node deterministic_algorithms;  // torch.use_deterministic_algorithms(True)

  // sklearn's `random_state=None` draws from NumPy's global generator: seeding it fixes them.
  bool numpy_global() const { return !numpy.is_null() || !everything.is_null(); }

  // Records what node `n` (a call, a string or an assignment) contributes. Rules that visit those
  // kinds feed them here instead of walking the tree again.
  void scan(syntax::Node n, const semantic::SemanticModel& sem);
};

Seeding find_seeding(syntax::Node root, const semantic::SemanticModel& sem);

}  // namespace mlroast::rules
