// ML712 unvalidated-serving-input: a web endpoint that feeds the raw request JSON to a model.
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML712 unvalidated-serving-input

## What it finds
A web endpoint that reads the raw request body and calls a model in the same function with no
validation step:
- the raw read: Flask's `request.get_json()`, `request.json`, `request.form`,
  `request.values` (`flask.request`, resolved through imports), or FastAPI/Starlette's
  `await request.json()` / `await request.form()` on a parameter annotated `Request`;
- the model call: `.predict(...)`, `.predict_proba(...)`, `.predict_log_proba(...)`,
  `.decision_function(...)` in the same function, or in a function of the file that it calls
  (`score_frame(frame)`).

Reported on the raw read. Silent when the function validates the payload: a pydantic model
(`Model(**payload)`, `Model.model_validate(...)`, `parse_obj`, `TypeAdapter`), `jsonschema.validate`,
a marshmallow `schema.load(...)`, a pandera `schema.validate(...)`, or a function of the file
given the payload that validates it (its name says so, `validate_record(body)`, or it raises on
bad input; `check_key(x_api_key)` checks a header, not the body). FastAPI endpoints that take a
pydantic model as a parameter never read the raw body and are silent. Test files are exempt.

## Why it matters
The model was trained on a fixed schema. Raw JSON can miss fields, carry extra ones, send
`"42"` for 42 or `null` for a number: pandas builds whatever it is given, so the request either
crashes deep inside the model with a 500 and a stack trace, or (worse) succeeds with NaN or
shifted columns and returns a confident, wrong score. A schema at the boundary rejects bad input
with a 422 that says which field is wrong, and documents the API. The review spec: "No input
validation at serving time: a serving endpoint that accepts raw input without schema validation
will crash or silently misbehave on unexpected inputs."

## Example
```python
@app.post("/predict")
async def predict(request: Request):
    payload = await request.json()
    proba = model.predict_proba(pd.DataFrame([payload]))[0, 1]
```

## Use instead
```python
class Customer(BaseModel):
    tenure: int = Field(ge=0)
    monthly_charges: float = Field(gt=0)
    contract: Literal["Month-to-month", "One year", "Two year"]

@app.post("/predict")
def predict(customer: Customer):
    proba = model.predict_proba(pd.DataFrame([customer.model_dump()]))[0, 1]
```

## Fix safety
No fix: the schema (fields, types, ranges) has to be written from the training data.

## References
- FastAPI docs, "Request Body" (pydantic models); pydantic docs, "Models".
- The review spec (`ml-review-spec.txt`), "Serving & Monitoring".
)md";

constexpr RuleInfo kInfo{"ML712",
                         "unvalidated-serving-input",
                         Category::CodeQuality,
                         Severity::Warning,
                         FixAvailability::None,
                         "Raw request JSON fed to a model without a schema",
                         kDoc};

bool starts(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// A method that runs a model on its input: `.predict(...)`, `.predict_proba(...)`...
bool calls_model(std::string_view method) {
  return method == "predict" || method == "predict_proba" || method == "predict_log_proba" ||
         method == "decision_function";
}

// A parameter of `fn` named `name` annotated with fastapi/starlette `Request`.
bool is_request_param(syntax::Node fn, std::string_view name, const RuleContext& ctx) {
  for (syntax::Node p : syntax::children(fn.field("parameters"))) {
    if (p.kind() != "typed_parameter") continue;
    syntax::Node id = p.named_child(0);
    if (!id || ctx.text_of(id) != name) continue;
    std::string q = ctx.sem().qualified_name(p.field("type").named_child(0));
    if (q.empty()) q = ctx.sem().qualified_name(p.field("type"));
    return q == "fastapi.Request" || q == "starlette.requests.Request" ||
           q == "fastapi.requests.Request";
  }
  return false;
}

class UnvalidatedServingInput final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }
  std::vector<std::string_view> kinds() const override { return {"function_definition"}; }

  void visit(syntax::Node fn, RuleContext& ctx) override {
    if (ctx.file().is_test) return;
    syntax::Node body = fn.field("body");
    syntax::Node raw;
    bool predicts = false, validates = false;
    std::vector<syntax::Node> checks;  // calls of validating helpers of this file
    syntax::walk(body, [&](syntax::Node n) {
      std::string_view k = n.kind();
      if (k == "function_definition" || k == "class_definition" || k == "lambda") return false;
      if (k == "attribute") {
        std::string_view attr = ctx.text_of(n.field("attribute"));
        syntax::Node obj = n.field("object");
        bool flask = ctx.sem().qualified_name(obj) == "flask.request";
        bool starlette = obj && obj.kind() == "identifier" &&
                         is_request_param(fn, ctx.text_of(obj), ctx);
        bool raw_attr = (flask && (attr == "json" || attr == "get_json" || attr == "form" ||
                                   attr == "values")) ||
                        (starlette && (attr == "json" || attr == "form"));
        if (raw_attr && !raw) raw = n.parent().kind() == "call" ? n.parent() : n;
      }
      if (k == "call") {
        syntax::Node f = n.field("function");
        const std::string& q = ctx.sem().callee(n);
        if (f && f.kind() == "attribute") {
          std::string_view m = ctx.text_of(f.field("attribute"));
          if (calls_model(m)) predicts = true;
          if (m == "model_validate" || m == "parse_obj" || m == "model_validate_json" ||
              m == "validate_python")
            validates = true;
          // schema.load(...) / schema.validate(...) on a schema object (not joblib.load)
          if ((m == "load" || m == "validate") && q.empty()) validates = true;
        }
        if (starts(q, "jsonschema") || starts(q, "pydantic") || starts(q, "marshmallow") ||
            starts(q, "pandera"))
          validates = true;
        // A helper of this file: `score_frame(frame)` that predicts, `validate_record(body)`
        // that checks the payload (its name says so, or it raises on bad input).
        if (f && f.kind() == "identifier") {
          if (const Helper* h = helper(ctx.text_of(f), ctx)) {
            predicts = predicts || h->predicts;
            if (h->validates) checks.push_back(n);  // counts if it is given the payload
          }
        }
        // Model(**payload): a pydantic model defined in the file
        syntax::Node args = n.field("arguments");
        for (syntax::Node a : syntax::children(args))
          if (a.kind() == "dictionary_splat" && f && f.kind() == "identifier" &&
              !starts(q, "builtins.") && !starts(q, "pandas."))
            validates = true;
      }
      return true;
    });
    if (!raw || !predicts || validates) return;
    // A validating helper validates the payload when it is given it: the raw read, or a name
    // assigned from it (`check_key(x_api_key)` checks a header, not the body).
    // Names holding the payload or a part of it, in source order: assigned from the raw read or
    // from such a name (`records = payload["instances"]`), or iterating over one (`for rec in
    // records`, in a loop or a comprehension).
    std::vector<std::string_view> payload;
    const auto reads_payload = [&](syntax::Node e) {
      bool found = false;
      syntax::walk(e, [&](syntax::Node x) {
        found = found || x == raw ||
                (x.kind() == "identifier" &&
                 std::find(payload.begin(), payload.end(), ctx.text_of(x)) != payload.end());
        return !found;
      });
      return found;
    };
    syntax::walk(body, [&](syntax::Node n) {
      std::string_view k = n.kind();
      if (k != "assignment" && k != "for_statement" && k != "for_in_clause") return true;
      syntax::Node left = n.field("left"), right = n.field("right");
      if (!left || !right || !reads_payload(right)) return true;
      if (left.kind() == "identifier") payload.push_back(ctx.text_of(left));
      for (syntax::Node c : syntax::children(left))
        if (c.kind() == "identifier") payload.push_back(ctx.text_of(c));
      return true;
    });
    for (syntax::Node call : checks) validates = validates || reads_payload(call.field("arguments"));
    if (validates) return;
    ctx.report(finding(raw, "`" + std::string(ctx.text_of(raw)) +
                                "` feeds the raw request body to the model with no schema: "
                                "missing or mistyped fields crash the model or yield a wrong "
                                "score; validate with a pydantic model"));
  }

 private:
  struct Helper {
    bool predicts = false;   // calls a model's predict method
    bool validates = false;  // named as a validator, or raises on what it is given
  };

  // The module-level function `name` of this file, as a helper of an endpoint (one level: its
  // own helpers are not followed); null when the file defines no such function.
  const Helper* helper(std::string_view name, const RuleContext& ctx) {
    if (!helpers_) {
      helpers_.emplace();
      for (syntax::Node stmt : syntax::children(ctx.file().tree->root())) {
        syntax::Node def = stmt.kind() == "decorated_definition" ? stmt.field("definition") : stmt;
        if (def.kind() != "function_definition") continue;
        Helper h;
        std::string_view fname = ctx.text_of(def.field("name"));
        h.validates = fname.find("valid") != std::string_view::npos;
        syntax::walk(def.field("body"), [&](syntax::Node n) {
          std::string_view k = n.kind();
          if (k == "function_definition" || k == "class_definition" || k == "lambda") return false;
          if (k == "raise_statement") h.validates = true;
          if (k == "call" && n.field("function").kind() == "attribute") {
            std::string_view m = ctx.text_of(n.field("function").field("attribute"));
            if (calls_model(m)) h.predicts = true;
          }
          return true;
        });
        helpers_->emplace(fname, h);
      }
    }
    const auto found = helpers_->find(name);
    return found == helpers_->end() ? nullptr : &found->second;
  }

  std::optional<std::map<std::string_view, Helper, std::less<>>> helpers_;
};

}  // namespace

std::unique_ptr<Rule> make_unvalidated_serving_input() {
  return std::make_unique<UnvalidatedServingInput>();
}

}  // namespace mlroast::rules
