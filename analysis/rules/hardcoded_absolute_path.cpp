// ML705 hardcoded-absolute-path: string literals such as "/home/ana/data/train.csv" or
// "C:\\Users\\ana\\churn.csv" that only exist on the author's machine.
#include <cctype>
#include <string>

#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML705 hardcoded-absolute-path

## What it finds
A string literal whose text is an absolute path into a particular machine's file system: a home
directory (`/home/...`, `/Users/...`, `/root/...`, `~/data/...`), a mount or data volume
(`/mnt/...`, `/media/...`, `/data/...`, `/scratch/...`, `/opt/...`, a mounted Google Drive
`/content/drive/...`) or a Windows drive (`C:\\Users\\...`, `D:/datasets/...`).
For f-strings only the literal text before the first placeholder is judged, so
`f"{DATA_DIR}/train.csv"` is fine and `f"/home/{user}/train.csv"` is not.

Deliberately not reported:
- `/tmp/...`, `/dev/...`, `/proc`, `/sys`, `/etc/...`, `/usr/...`, `/var/...`: the same on every
  Unix machine, so they do not break portability;
- platform contract paths: `/opt/ml/...` (SageMaker containers), `/kaggle/...` (Kaggle kernels),
  `/Volumes/...` and `/dbfs/...` (Databricks), and tool dot-directories under the home directory
  (`~/.kaggle/kaggle.json`, `~/.cache/huggingface`) and the data homes libraries download to by
  default (`~/scikit_learn_data`, `~/tensorflow_datasets`, `~/nltk_data`, `~/seaborn-data`,
  `~/gensim-data`, `~/mne_data`), which are the same on every machine;
- relative paths, URLs (`https://`, `s3://`, `gs://`), `/` alone, suffixes joined to a base
  (`ROOT + "/data/x.csv"`), web routes (string arguments of decorators such as
  `@app.get("/data/{id}")`, of `add_url_rule`/`add_api_route`/`urljoin`, and the first argument of
  `client.get/post/put/patch/delete/request(...)`);
- regular expressions (arguments of `re.*` calls), probes that make a script portable
  (`os.path.exists("/content/drive")`, `path.startswith("/mnt/")`, comparisons), `help=` texts;
- docstrings and other bare string statements, and everything in test files (fixtures there
  are allowed to point at fixed locations).

A machine path used as the fallback of `os.environ.get("DATA_DIR", "/home/ana/data")` or as an
argparse `default=` is still reported: it is what runs on every machine that does not set the
variable; make the fallback relative to the project.

## Why it matters
`pd.read_csv("/home/ana/projects/churn/data/train.csv")` fails with `FileNotFoundError` on every
machine except Ana's laptop: in CI, in the Docker image, on the training cluster and for the
colleague who reviews the model. Worse, when a path such as `/mnt/shared/models/latest.pkl`
does exist elsewhere, the pipeline silently reads whatever someone else left there, so two
runs of "the same" training script use different data.

## Example
```python
train = pd.read_csv("/home/ana/projects/churn/data/train.csv")
joblib.dump(model, "C:\\Users\\ana\\models\\churn_xgb.joblib")
```

## Use instead
```python
DATA_DIR = Path(os.environ.get("CHURN_DATA_DIR", Path(__file__).parent / "data"))
train = pd.read_csv(DATA_DIR / "train.csv")
joblib.dump(model, MODEL_DIR / "churn_xgb.joblib")
```
Take paths from a config file (Hydra, pydantic-settings), an environment variable or a
command-line flag, and resolve defaults relative to the project.

## Fix safety
No fix: where the data should live is a decision for the project's configuration.

## References
- The Twelve-Factor App, "III. Config".
- Python docs, `pathlib` (`Path(__file__).parent`).
)md";

constexpr RuleInfo kInfo{"ML705",
                         "hardcoded-absolute-path",
                         Category::CodeQuality,
                         Severity::Warning,
                         FixAvailability::None,
                         "Absolute path into one machine's file system",
                         kDoc};

// The literal text of the string up to its first placeholder (f-strings), which is marked by a
// \x01 character. Escapes are left as written: "C:\\Users" keeps both backslashes.
std::string leading_literal(syntax::Node str, std::string_view text) {
  std::string out;
  for (uint32_t i = 0; i < str.child_count(); ++i) {
    syntax::Node c = str.child(i);
    auto k = c.kind();
    if (k == "string_start" || k == "string_end") continue;
    if (k == "interpolation") {
      out += '\x01';  // a placeholder: f"/home/{user}/..." still names a home directory
      break;
    }
    out += c.text(text);
  }
  return out;
}

// What kind of machine-specific path `s` is ("home directory", ...), or "" when it is not one.
std::string_view machine_path_kind(std::string_view s) {
  // Windows drive: "C:\\..." (escaped or raw) or "D:/...", with something after the separator.
  if (s.size() > 3 && std::isalpha(static_cast<unsigned char>(s[0])) && s[1] == ':' &&
      (s[2] == '\\' || s[2] == '/')) {
    size_t rest = s.find_first_not_of("\\/", 2);
    if (rest != std::string_view::npos) return "Windows drive path";
  }
  // "~/data/x.csv" depends on one user's home layout; "~/.kaggle/kaggle.json" and other dot
  // directories, and the data homes libraries download to by default (scikit-learn's
  // get_data_home(), tensorflow_datasets, NLTK...), are the same on every machine.
  if (s.size() > 2 && s[0] == '~' && (s[1] == '/' || s[1] == '\\') && s[2] != '.') {
    std::string_view top = s.substr(2, s.find_first_of("/\\", 2) - 2);
    for (std::string_view home : {"scikit_learn_data", "tensorflow_datasets", "nltk_data",
                                  "seaborn-data", "gensim-data", "mne_data"})
      if (top == home) return "";
    return "home-directory path";
  }
  if (s.empty() || s[0] != '/') return "";
  struct Prefix {
    std::string_view prefix, kind;
  };
  static constexpr Prefix kPrefixes[] = {
      {"/home/", "home-directory path"},
      {"/Users/", "home-directory path"},
      {"/root/", "home-directory path"},
      {"/mnt/", "mounted-volume path"},
      {"/media/", "mounted-volume path"},
      {"/data/", "machine-specific data path"},
      {"/scratch/", "machine-specific data path"},
      {"/opt/", "machine-specific install path"},
      {"/content/drive/", "mounted Google Drive path"},
  };
  if (s.starts_with("/opt/ml/") || s == "/opt/ml") return "";  // SageMaker's container contract
  for (const auto& p : kPrefixes)
    if (s.starts_with(p.prefix) && s.size() > p.prefix.size() && s[p.prefix.size()] != ' ')
      return p.kind;
  return "";
}

bool is_route_or_probe_method(std::string_view m) {
  for (std::string_view w :
       {"route", "api_route", "add_url_rule", "add_api_route", "add_route", "add_get", "add_post",
        "websocket", "mount", "startswith", "endswith", "removeprefix", "removesuffix"})
    if (m == w) return true;
  return false;
}

// True when the context the string sits in makes it something other than a file to open.
bool excluded_context(syntax::Node str, const RuleContext& ctx) {
  syntax::Node n = str;
  syntax::Node p = n.parent();
  while (p && (p.kind() == "concatenated_string" || p.kind() == "parenthesized_expression")) {
    n = p;
    p = p.parent();
  }
  if (!p) return false;
  if (p.kind() == "expression_statement") return true;  // docstring or string-as-comment
  if (p.kind() == "comparison_operator") return true;   // path == "/mnt/x", "/content" in cwd
  if (p.kind() == "binary_operator" && p.field("right") == n) return true;  // ROOT + "/data/x"
  if (p.kind() == "keyword_argument") {
    std::string_view key = ctx.text_of(p.field("name"));
    if (key == "help" || key == "description" || key == "epilog" || key == "usage" ||
        key == "pattern" || key == "regex")
      return true;
    p = p.parent();
  }
  if (p.kind() != "argument_list") return false;
  syntax::Node call = p.parent();
  if (call.kind() != "call") return false;
  for (syntax::Node a = call.parent(); a; a = a.parent())
    if (a.kind() == "decorator") return true;  // @app.route("/data/<id>")
  const std::string& q = ctx.sem().callee(call);
  if (q.starts_with("re.") || q.starts_with("regex.") || q == "os.path.exists" ||
      q == "os.path.isdir" || q == "os.path.isfile" || q == "os.path.lexists" ||
      q == "os.path.ismount")
    return true;
  if (q.ends_with("urljoin")) return true;
  syntax::Node fn = call.field("function");
  if (fn.kind() != "attribute") return false;
  std::string_view method = ctx.text_of(fn.field("attribute"));
  if (is_route_or_probe_method(method)) return true;
  // client.get("/data/items"): an HTTP route (or a lookup key) as the first argument.
  bool http = method == "get" || method == "post" || method == "put" || method == "patch" ||
              method == "delete" || method == "head" || method == "request" || method == "fetch";
  return http && p.named_child_count() > 0 && p.named_child(0) == n;
}

class HardcodedAbsolutePath final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }
  std::vector<std::string_view> kinds() const override { return {"string"}; }

  void visit(syntax::Node str, RuleContext& ctx) override {
    if (ctx.file().is_test) return;
    std::string_view start = ctx.text_of(str.child(0));
    if (start.find_first_of("bB") != std::string_view::npos) return;  // bytes: payloads
    // Only the first part of an implicit concatenation decides ("/home/ana/" "train.csv").
    if (str.parent().kind() == "concatenated_string" && str.parent().named_child(0) != str) return;
    std::string lit = leading_literal(str, ctx.text());
    // "a:\n" in a non-raw string is a label and a newline, not a drive.
    bool raw = start.find_first_of("rR") != std::string_view::npos;
    if (!raw && lit.size() > 3 && lit[1] == ':' && lit[2] == '\\' &&
        std::string_view("ntr0abfvx'\"").find(lit[3]) != std::string_view::npos)
      return;
    std::string_view kind = machine_path_kind(lit);
    if (kind.empty() || excluded_context(str, ctx)) return;
    if (size_t hole = lit.find('\x01'); hole != std::string::npos) lit.replace(hole, 1, "{...}");
    std::string shown = lit.size() > 48 ? lit.substr(0, 45) + "..." : lit;
    ctx.report(finding(str, "Hardcoded " + std::string(kind) + " `" + shown +
                                "` only exists on one machine; read it from configuration or "
                                "build it relative to the project"));
  }
};

}  // namespace

std::unique_ptr<Rule> make_hardcoded_absolute_path() {
  return std::make_unique<HardcodedAbsolutePath>();
}

}  // namespace mlroast::rules
