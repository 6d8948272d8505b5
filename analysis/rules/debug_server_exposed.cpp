// ML714 debug-server-exposed: Flask's debugger or uvicorn's auto-reload in serving code.
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "analysis/rules/call_args.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML714 debug-server-exposed

## What it finds
- `app.run(debug=True)` where `app` is a Flask application (`app = Flask(__name__)` in the same
  file, resolved through imports), and `werkzeug.serving.run_simple(..., use_debugger=True)`;
- `uvicorn.run(..., reload=True)` (or `debug=True`).

Not reported: `debug=False`, a value from configuration or the environment
(`debug=os.getenv("FLASK_DEBUG") == "1"`, `debug=settings.debug`), `.run(debug=True)` on an
object that is not a Flask app created in this file (a Dash app, an unknown object), and test
files.

## Why it matters
Flask's debug mode turns on the Werkzeug interactive debugger: any exception page offers a
Python console that executes arbitrary code in the server process. It is protected only by a
PIN derived from machine facts, and with `host="0.0.0.0"` it is reachable from the network.
Flask's docs: "Do not enable debug mode when deploying in production." uvicorn's `reload=True`
watches the source tree and restarts the server on every file change: a development tool that
costs CPU, drops in-flight requests on restart, and reloads whatever code lands on disk.

## Example
```python
app = Flask(__name__)
...
if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080, debug=True)
```

## Use instead
```python
if __name__ == "__main__":
    app.run(host="127.0.0.1", port=8080, debug=os.environ.get("FLASK_DEBUG") == "1")
# production: gunicorn -w 4 -b 0.0.0.0:8080 serve:app  /  uvicorn serve:app --workers 4
```

## Fix safety
The fix sets the flag to `False`. It is unsafe: developers who relied on auto-reload or the
debugger from this entry point lose it (move it to an environment variable instead).

## References
- Flask docs, "Debug Mode" and "Deploying to Production".
- Werkzeug docs, "Debugging Applications" (the debugger allows executing arbitrary Python code).
- uvicorn docs, "Settings" (`--reload` is for development).
)md";

constexpr RuleInfo kInfo{"ML714",
                         "debug-server-exposed",
                         Category::CodeQuality,
                         Severity::Error,
                         FixAvailability::Always,
                         "Flask debugger or uvicorn reload enabled in serving code",
                         kDoc};

// The names bound somewhere in the file to a `flask.Flask(...)` call.
std::set<std::string_view, std::less<>> flask_apps(const RuleContext& ctx) {
  std::set<std::string_view, std::less<>> names;
  syntax::walk(ctx.file().tree->root(), [&](syntax::Node n) {
    if (n.kind() == "assignment") {
      syntax::Node left = n.field("left"), right = n.field("right");
      if (left && right && right.kind() == "call" && ctx.sem().callee(right) == "flask.Flask")
        names.insert(ctx.text_of(left));
    }
    return true;
  });
  return names;
}

class DebugServerExposed final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }
  std::vector<std::string_view> kinds() const override { return {"call"}; }

  void visit(syntax::Node call, RuleContext& ctx) override {
    if (ctx.file().is_test) return;
    const std::string& q = ctx.sem().callee(call);
    if (q == "uvicorn.run") {
      for (std::string_view kw : {"reload", "debug"})
        if (syntax::Node v = keyword(call, kw, ctx); v && v.kind() == "true")
          return report(call, v, "`uvicorn.run(..., " + std::string(kw) +
                                     "=True)` is a development setting: it watches the source "
                                     "tree and restarts the server on every change; drive it "
                                     "from the environment and keep it off in serving",
                        ctx);
      return;
    }
    if (q == "werkzeug.serving.run_simple" || q == "werkzeug.run_simple") {
      if (syntax::Node v = keyword(call, "use_debugger", ctx); v && v.kind() == "true")
        return report(call, v, "`run_simple(..., use_debugger=True)` exposes the Werkzeug "
                               "debugger, which executes arbitrary Python from the browser",
                      ctx);
      return;
    }
    syntax::Node fn = call.field("function");
    if (!fn || fn.kind() != "attribute" || ctx.text_of(fn.field("attribute")) != "run") return;
    syntax::Node recv = fn.field("object");
    if (!recv || recv.kind() != "identifier") return;
    syntax::Node v = keyword(call, "debug", ctx);
    if (!v || v.kind() != "true") return;
    if (!flask_apps_) flask_apps_ = flask_apps(ctx);  // once per file, on the first debug=True
    if (flask_apps_->count(ctx.text_of(recv)) == 0) return;
    report(call, v, "`" + std::string(ctx.text_of(recv)) +
                        ".run(debug=True)` enables the Werkzeug debugger, which lets anyone "
                        "who triggers an error page execute Python in the server process; "
                        "keep debug off outside local development",
           ctx);
  }

 private:
  std::optional<std::set<std::string_view, std::less<>>> flask_apps_;

  void report(syntax::Node call, syntax::Node value, std::string message, RuleContext& ctx) {
    Finding f = finding(call, std::move(message));
    f.fix = Fix{"Set it to `False`", Applicability::Unsafe,
                {TextEdit{value.start_byte(), value.end_byte(), "False"}}};
    ctx.report(std::move(f));
  }
};

}  // namespace

std::unique_ptr<Rule> make_debug_server_exposed() {
  return std::make_unique<DebugServerExposed>();
}

}  // namespace mlroast::rules
