// ML602 partial-seeding: a torch program that seeds some of its random generators but not all.
#include <string>
#include <vector>

#include "analysis/rules/rule.hpp"
#include "analysis/rules/seeding.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML602 partial-seeding

## What it finds
A file that imports `torch` and seeds some of the generators a PyTorch program draws from, but not
all of them: `torch.manual_seed` (which also seeds every CUDA device), `np.random.seed` (when the
file imports NumPy) and `random.seed` (when it imports `random`). For example NumPy seeded and
torch not, or torch seeded and Python's `random` not. Reported once, on the first seeding call,
naming the generators left unseeded.

Silent: a file that seeds none of them (ML601 reports unseeded scikit-learn calls and PyTorch
training scripts that seed nothing), a file that seeds every generator it imports (a pure torch
script with `torch.manual_seed` only), and a seeding helper that seeds
everything at once (Lightning's `seed_everything`, `transformers.set_seed`,
`keras.utils.set_random_seed`, or a project helper such as `set_seed` imported from elsewhere).
Files that do not import torch are out of scope.

## Why it matters
A PyTorch run draws random numbers from several independent generators: torch's (weight
initialisation, dropout, `DataLoader` shuffling, `random_split`), NumPy's (augmentations,
hand-written samplers, many data pipelines) and Python's `random` (torchvision's older
transforms, `random.shuffle` of file lists). Seeding one of them gives a false sense of
reproducibility: the run still changes from launch to launch, and a 0.5-point difference
between two experiments may be nothing but the unseeded generator. The review spec is explicit:
`np.random.seed(42)` alone is insufficient; also fix `random.seed`, `torch.manual_seed`,
`torch.cuda.manual_seed_all`, and `PYTHONHASHSEED`.

## Example
```python
np.random.seed(42)
model = Net().to(device)
loader = DataLoader(train_ds, batch_size=64, shuffle=True)
```

## Use instead
```python
def seed_everything(seed: int) -> None:
    os.environ["PYTHONHASHSEED"] = str(seed)   # also export it before the interpreter starts
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)

seed_everything(42)
```

## Fix safety
No fix: where the seeding belongs (entry point, config) is the author's call.

## References
- PyTorch docs, "Reproducibility" (controlling sources of randomness).
- The review spec, "Seeds not fixed globally".
)md";

constexpr RuleInfo kInfo{"ML602",
                         "partial-seeding",
                         Category::Reproducibility,
                         Severity::Warning,
                         FixAvailability::None,
                         "Some random generators seeded, others not, in a torch program",
                         kDoc};

class PartialSeeding final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }

  void finish(RuleContext& ctx) override {
    if (!ctx.sem().imports("torch")) return;
    Seeding s = find_seeding(ctx.file().tree->root(), ctx.sem());
    if (s.everything) return;
    syntax::Node torch = s.torch ? s.torch : s.torch_cuda;
    struct Gen {
      syntax::Node call;
      const char* name;
    };
    // The generators in play: torch's, and NumPy's / Python's when the file imports them.
    std::vector<Gen> gens{{torch, "torch (`torch.manual_seed`)"}};
    if (ctx.sem().imports("numpy") || s.numpy) gens.push_back({s.numpy, "NumPy (`np.random.seed`)"});
    if (ctx.sem().imports("random") || s.python_random)
      gens.push_back({s.python_random, "Python's `random` (`random.seed`)"});
    syntax::Node first;
    std::string missing;
    size_t n_missing = 0;
    for (const Gen& g : gens) {
      if (g.call) {
        if (!first || g.call.start_byte() < first.start_byte()) first = g.call;
      } else {
        missing += (n_missing++ ? ", " : "") + std::string(g.name);
      }
    }
    if (!first || n_missing == 0) return;
    ctx.report(finding(first, "Only part of the program's randomness is seeded: " + missing +
                                  (n_missing > 1 ? " are" : " is") +
                                  " not, so runs still differ; seed torch, NumPy and `random` "
                                  "together (and set PYTHONHASHSEED)"));
  }
};

}  // namespace

std::unique_ptr<Rule> make_partial_seeding() { return std::make_unique<PartialSeeding>(); }

}  // namespace mlroast::rules
