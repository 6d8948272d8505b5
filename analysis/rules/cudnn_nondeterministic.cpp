// ML603 cudnn-nondeterministic: torch training on CUDA without the cuDNN determinism flags.
#include <string>

#include "analysis/rules/rule.hpp"
#include "analysis/rules/seeding.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML603 cudnn-nondeterministic

## What it finds
A PyTorch training script (it calls `.backward()`) that runs on a CUDA device — `.cuda()`,
`torch.device("cuda")`, `.to("cuda")`, or a device chosen with `torch.cuda.is_available()` —
and does not make cuDNN deterministic: `torch.backends.cudnn.deterministic = True` together with
`torch.backends.cudnn.benchmark = False`, or `torch.use_deterministic_algorithms(True)`.
Reported once per file, on the first place the device is chosen.

Silent: CPU-only code, inference-only code (no `backward`), and files that set both flags or
`use_deterministic_algorithms(True)`. An explicit `cudnn.benchmark = True` is still reported: it
is the choice of speed over repeatability this rule is about.

## Why it matters
With the defaults, cuDNN may pick a different convolution algorithm on every run
(`benchmark=True` autotunes them) and several of its kernels use non-deterministic atomic
additions. Even with every seed fixed, two runs of the same script on the same GPU then produce
different weights and metrics, so a comparison between two experiments mixes the change being
tested with run-to-run noise. The review spec lists this under reproducibility gaps:
`torch.backends.cudnn.deterministic = False` (the default) produces different results across
runs on GPU.

## Example
```python
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = ResNet18().to(device)
```

## Use instead
```python
torch.backends.cudnn.deterministic = True
torch.backends.cudnn.benchmark = False
# stricter: torch.use_deterministic_algorithms(True) and CUBLAS_WORKSPACE_CONFIG=":4096:8"
```
Determinism can cost speed; keep it on for experiments whose numbers are compared.

## Fix safety
No fix: the flags trade speed for repeatability, which is the author's decision.

## References
- PyTorch docs, "Reproducibility" (cuDNN, `torch.use_deterministic_algorithms`).
- The review spec, "Non-deterministic CUDA operations".
)md";

constexpr RuleInfo kInfo{"ML603",
                         "cudnn-nondeterministic",
                         Category::Reproducibility,
                         Severity::Info,
                         FixAvailability::None,
                         "Torch training on CUDA without cuDNN determinism",
                         kDoc};

bool mentions_cuda_string(syntax::Node args, const RuleContext& ctx) {
  for (uint32_t i = 0; args && i < args.named_child_count(); ++i) {
    syntax::Node a = args.named_child(i);
    if (a.kind() == "string" && ctx.text_of(a).find("cuda") != std::string_view::npos) return true;
    if (a.kind() == "conditional_expression" && ctx.text_of(a).find("\"cuda") != std::string_view::npos)
      return true;
  }
  return false;
}

class CudnnNondeterministic final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }

  void finish(RuleContext& ctx) override {
    if (!ctx.sem().imports("torch")) return;
    Seeding s = find_seeding(ctx.file().tree->root(), ctx.sem());
    if ((s.cudnn_deterministic && s.cudnn_benchmark_off) || s.deterministic_algorithms) return;
    syntax::Node cuda;
    bool trains = false;
    syntax::walk(ctx.file().tree->root(), [&](syntax::Node n) {
      if (n.kind() != "call") return true;
      syntax::Node fn = n.field("function");
      const std::string& q = ctx.sem().callee(n);
      std::string_view method =
          fn && fn.kind() == "attribute" ? ctx.text_of(fn.field("attribute")) : std::string_view();
      if (method == "backward") trains = true;
      bool device = false;
      if (q == "torch.device" || q == "torch.cuda.is_available")
        device = q == "torch.cuda.is_available" || mentions_cuda_string(n.field("arguments"), ctx);
      else if (q.empty() && method == "cuda")
        device = true;
      else if (q.empty() && method == "to")
        device = mentions_cuda_string(n.field("arguments"), ctx);
      if (device && (!cuda || n.start_byte() < cuda.start_byte())) cuda = n;
      return true;
    });
    if (!cuda || !trains) return;
    ctx.report(finding(cuda, "Training on CUDA with cuDNN's defaults is not repeatable even with "
                             "fixed seeds (autotuned, non-deterministic kernels); set "
                             "`torch.backends.cudnn.deterministic = True` and "
                             "`torch.backends.cudnn.benchmark = False`"));
  }
};

}  // namespace

std::unique_ptr<Rule> make_cudnn_nondeterministic() {
  return std::make_unique<CudnnNondeterministic>();
}

}  // namespace mlroast::rules
