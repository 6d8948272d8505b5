// ML711 sys-path-hack: `sys.path.append/insert/extend` to make imports work.
#include <string>

#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML711 sys-path-hack

## What it finds
Changes to the import path at run time: `sys.path.append(...)`, `sys.path.insert(...)`,
`sys.path.extend(...)` and `sys.path += [...]`, resolved through imports (`from sys import
path` then `path.append(...)` is found; a local list called `path` is not). Reported in scripts,
modules and notebooks alike (in notebooks it is the usual way to import project code, and the
brittleness is the same). Not reported: reading `sys.path` (`print(sys.path)`, `if p not in
sys.path`), `os.path` functions, and `site.addsitedir`.

## Why it matters
The import then depends on where the file lives and from where it is run: moving the file,
running it from another directory, packaging it into a wheel or a Docker image, or importing it
from a test breaks the import, or silently imports a different copy of the module (an old
checkout earlier on the path). Tools (type checkers, IDEs, mlroast's own cross-file checks) do
not see the modified path either. The review spec: "No __init__.py discipline: importing from
internal modules by relative path inside notebooks creates brittle implicit dependencies on the
working directory."

## Example
```python
sys.path.append(str(Path(__file__).resolve().parents[1]))
from churn.features import add_features
```

## Use instead
Make the project a package (`src/churn/__init__.py`, a `pyproject.toml` with
`[tool.setuptools.packages.find] where = ["src"]`) and install it in development mode with
`pip install -e .`; then the import works from any directory, in tests, notebooks and
containers. Run scripts as modules (`python -m churn.train`).
```python
# src/churn/train.py, run as `python -m churn.train`
from churn.features import add_features
```

## Fix safety
No fix: the project needs packaging, which is outside the file.

## References
- Python Packaging User Guide, "Packaging Python Projects" and "src layout vs flat layout".
- The review spec (`ml-review-spec.txt`), "Dependencies & Security".
)md";

constexpr RuleInfo kInfo{"ML711",
                         "sys-path-hack",
                         Category::CodeQuality,
                         Severity::Info,
                         FixAvailability::None,
                         "`sys.path` modified at run time instead of installing the package",
                         kDoc};

class SysPathHack final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }
  std::vector<std::string_view> kinds() const override { return {"call", "augmented_assignment"}; }

  void visit(syntax::Node n, RuleContext& ctx) override {
    if (n.kind() == "call") {
      const std::string& q = ctx.sem().callee(n);
      if (q != "sys.path.append" && q != "sys.path.insert" && q != "sys.path.extend") return;
      ctx.report(finding(n, "`" + std::string(ctx.text_of(n.field("function"))) +
                                "` makes imports depend on where the file lives and where it "
                                "is run from; make the project an installable package "
                                "(`pip install -e .`)"));
      return;
    }
    syntax::Node left = n.field("left");
    if (!left || ctx.sem().qualified_name(left) != "sys.path") return;
    if (n.child_count() < 2 || n.child(1).kind() != "+=") return;
    ctx.report(finding(n, "`sys.path += ...` makes imports depend on where the file lives and "
                          "where it is run from; make the project an installable package "
                          "(`pip install -e .`)"));
  }
};

}  // namespace

std::unique_ptr<Rule> make_sys_path_hack() { return std::make_unique<SysPathHack>(); }

}  // namespace mlroast::rules
