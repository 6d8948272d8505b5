// ML703 bare-except: `except:` and `except Exception: pass`.
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML703 bare-except

## What it finds
An `except:` clause with no exception type, and an `except Exception:` / `except BaseException:`
clause whose whole body is `pass` (or `...`).

## Why it matters
A bare `except:` also catches `KeyboardInterrupt`, `SystemExit` and `MemoryError`. In a training
or feature pipeline it turns a corrupt file, a schema change or an out-of-memory into silently
missing rows: the run "succeeds", the model trains on whatever survived, and nobody learns why
the metrics moved. `except Exception: pass` does the same for every ordinary error.

## Example
```python
for path in files:
    try:
        frames.append(pd.read_csv(path))
    except:
        pass
```

## Use instead
```python
for path in files:
    try:
        frames.append(pd.read_csv(path))
    except (FileNotFoundError, pd.errors.ParserError) as err:
        logger.warning("skipping %s: %s", path, err)
```

## Fix safety
The fix replaces `except:` with `except Exception:`. It is unsafe: the handler then no longer
catches `KeyboardInterrupt`/`SystemExit`, which changes behaviour, and it still needs a human to
name the specific errors. No fix is offered for `except Exception: pass`.

## References
- Python docs, "Handling Exceptions"; PEP 8, "Programming Recommendations" (bare except clauses).
)md";

constexpr RuleInfo kInfo{"ML703",
                         "bare-except",
                         Category::CodeQuality,
                         Severity::Warning,
                         FixAvailability::Sometimes,
                         "`except:` or `except Exception: pass` swallows every error",
                         kDoc};

bool body_is_pass(syntax::Node block) {
  if (block.is_null() || block.named_child_count() == 0) return false;
  for (uint32_t i = 0; i < block.named_child_count(); ++i) {
    syntax::Node s = block.named_child(i);
    if (s.kind() == "comment") continue;
    if (s.kind() == "pass_statement") continue;
    if (s.kind() == "expression_statement" && s.named_child_count() == 1 &&
        s.named_child(0).kind() == "ellipsis")
      continue;
    return false;
  }
  return true;
}

class BareExcept final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }
  std::vector<std::string_view> kinds() const override { return {"except_clause"}; }

  void visit(syntax::Node n, RuleContext& ctx) override {
    // except_clause children: "except" keyword, optional type expression (maybe `as` alias),
    // ":" and a block.
    syntax::Node type;
    syntax::Node body;
    for (uint32_t i = 0; i < n.named_child_count(); ++i) {
      syntax::Node c = n.named_child(i);
      if (c.kind() == "block") body = c;
      else if (c.kind() != "comment" && type.is_null()) type = c;
    }
    syntax::Node keyword = n.child(0);
    if (type.is_null()) {
      Finding f = finding(keyword, "Bare `except:` also catches KeyboardInterrupt and SystemExit "
                                   "and hides the real error; catch the specific exceptions");
      if (ctx.fixes_wanted())
        f.fix = Fix{"Replace `except:` with `except Exception:`", Applicability::Unsafe,
                  {TextEdit{keyword.end_byte(), keyword.end_byte(), " Exception"}}};
      ctx.report(std::move(f));
      return;
    }
    syntax::Node t = type.kind() == "as_pattern" ? type.named_child(0) : type;
    const std::string& q = ctx.sem().qualified_name(t);
    if ((q == "builtins.Exception" || q == "builtins.BaseException" ||
         ctx.text_of(t) == "Exception" || ctx.text_of(t) == "BaseException") &&
        body_is_pass(body)) {
      ctx.report(finding(n.child(0), "`except " + std::string(ctx.text_of(t)) +
                                         ": pass` silently discards every error"));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_bare_except() { return std::make_unique<BareExcept>(); }

}  // namespace mlroast::rules
