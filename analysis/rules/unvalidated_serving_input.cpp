// ML712 unvalidated-serving-input: a web endpoint that feeds the raw request JSON to a model.
#include <string>

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
  `.decision_function(...)` in the same function.

Reported on the raw read. Silent when the function validates the payload: a pydantic model
(`Model(**payload)`, `Model.model_validate(...)`, `parse_obj`, `TypeAdapter`), `jsonschema.validate`,
a marshmallow `schema.load(...)`, a pandera `schema.validate(...)`. FastAPI endpoints that take a
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
          if (m == "predict" || m == "predict_proba" || m == "predict_log_proba" ||
              m == "decision_function")
            predicts = true;
          if (m == "model_validate" || m == "parse_obj" || m == "model_validate_json" ||
              m == "validate_python")
            validates = true;
          // schema.load(...) / schema.validate(...) on a schema object (not joblib.load)
          if ((m == "load" || m == "validate") && q.empty()) validates = true;
        }
        if (starts(q, "jsonschema") || starts(q, "pydantic") || starts(q, "marshmallow") ||
            starts(q, "pandera"))
          validates = true;
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
    ctx.report(finding(raw, "`" + std::string(ctx.text_of(raw)) +
                                "` feeds the raw request body to the model with no schema: "
                                "missing or mistyped fields crash the model or yield a wrong "
                                "score; validate with a pydantic model"));
  }
};

}  // namespace

std::unique_ptr<Rule> make_unvalidated_serving_input() {
  return std::make_unique<UnvalidatedServingInput>();
}

}  // namespace mlroast::rules
