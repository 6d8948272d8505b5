// ML710 hardcoded-secret: API keys, tokens and passwords written into the source.
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/rules/call_name.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML710 hardcoded-secret

## What it finds
1. A string literal that has the shape of a well-known credential, wherever it appears: AWS
   access key ids (`AKIA`/`ASIA` + 16), GitHub tokens (`ghp_`, `gho_`, `ghs_`, `github_pat_`),
   OpenAI/Anthropic-style keys (`sk-` + 20 or more), Stripe live keys (`sk_live_`), Slack tokens
   (`xoxb-`, `xoxp-`...), Hugging Face tokens (`hf_` + 30 or more), Google API keys (`AIza` + 35),
   PEM private keys, and URLs with an inline password (`postgresql://etl:s3cr3t@db:5432/dw`).
2. A non-empty string literal assigned to a name that denotes a secret: a variable, attribute,
   keyword argument, parameter default, dict key, `os.environ[...]` key or variable set with
   `os.environ.setdefault(name, value)` / `os.putenv(name, value)` whose last word is
   `password`, `passwd`, `pwd`, `passphrase`, `secret`, `token`, `credential(s)`, `auth`,
   `authorization` or `apikey`, or that ends in `api_key`, `access_key`, `private_key`,
   `secret_key`, `openai_key`... (snake_case and camelCase are split into words).

   The value must look like a credential: 6+ characters, no spaces, two or more character
   classes (so `{"token": "word"}` column renames and `auth="oauth"` modes stay silent).

Not reported: values from the environment (`os.environ["API_KEY"]`, `os.getenv(...)`), empty
strings, placeholders (`"<your-key>"`, `"YOUR_API_KEY"`, `"changeme"`, `"xxx"`, `"***"`,
`"dummy"`, `"test"`, `"{token}"`, `"${TOKEN}"`), names of environment variables
(`token_env = "HF_TOKEN"`), paths, names whose last word is not the secret (`password_hash`,
`token_type`, `max_tokens`, `tokenizer`), tokenizer special tokens (`pad_token="[PAD]"`,
`eos_token="</s>"`), and test files. Messages show at most the first four characters.

## Why it matters
A key in a notebook or script ends up in git history, in every clone and fork, in the notebook's
saved outputs and in the Docker image, where removing it from the latest commit does not help.
Leaked cloud and LLM keys are found by automated scanners within minutes of a push to a public
repository and used to run up GPU or API bills, or to read the training data the key guards;
a database password in a feature-extraction script exposes the customer tables behind it.

## Example
```python
openai.api_key = "sk-proj-9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c"
engine = create_engine("postgresql://etl:Summer2024!@warehouse:5432/dw")
login(token="hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789")
```

## Use instead
```python
openai.api_key = os.environ["OPENAI_API_KEY"]
engine = create_engine(os.environ["WAREHOUSE_URL"])
login(token=os.environ["HF_TOKEN"])  # or pydantic-settings / a vault client
```
Then rotate the key: it is compromised as soon as it was committed.

## Fix safety
No fix: the secret must be revoked and moved to the environment or a secret store, which a text
edit cannot do.

## References
- OWASP, "Secrets Management Cheat Sheet".
- GitHub docs, "About secret scanning" (supported token formats).
- CWE-798: Use of Hard-coded Credentials.
)md";

constexpr RuleInfo kInfo{"ML710",
                         "hardcoded-secret",
                         Category::CodeQuality,
                         Severity::Error,
                         FixAvailability::None,
                         "API key, token or password hardcoded in the source",
                         kDoc};

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
std::string lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

// Placeholder-looking values: templates, markers, repeated characters, "your-...", "changeme".
bool is_placeholder(std::string_view v) {
  if (v.empty()) return true;
  std::string l = lower(v);
  if (l.find_first_of("<>{}$") != std::string::npos || l.find("%(") != std::string::npos ||
      (l.front() == '[' && l.back() == ']'))
    return true;
  for (std::string_view w :
       {"your", "changeme", "change_me", "change-me", "placeholder", "example", "dummy", "fake",
        "sample", "redacted", "todo", "fixme", "insert", "replace", "xxx", "***", "..."})
    if (l.find(w) != std::string::npos) return true;
  // "test" as a word ("test", "sk-test-...", "test_pw"), not inside "latest" or "contest".
  for (size_t p = l.find("test"); p != std::string::npos; p = l.find("test", p + 1))
    if (p == 0 || !is_alnum(l[p - 1])) return true;
  std::set<char> distinct(l.begin(), l.end());
  return distinct.size() <= 2;
}

// Which character classes `v` uses: lower, upper, digit, symbol (other than _ - .).
std::array<bool, 4> classes(std::string_view v) {
  std::array<bool, 4> c{};
  for (unsigned char ch : v) {
    c[0] |= std::islower(ch) != 0;
    c[1] |= std::isupper(ch) != 0;
    c[2] |= std::isdigit(ch) != 0;
    c[3] |= std::ispunct(ch) && ch != '_' && ch != '-' && ch != '.';
  }
  return c;
}

// A string of the shape of a known credential inside `s`; returns its kind or "".
std::string_view token_kind(std::string_view s, size_t& at) {
  // Every format below needs 15 characters or more ("xoxb-" + 10), a private key more; a shorter
  // string can only hold a URL password, which needs "://". Most strings are short names.
  if (s.size() < 15 && s.find("://") == std::string_view::npos) return "";
  struct Format {
    std::string_view prefix, kind, body;  // body: allowed characters class
    size_t min;
  };
  // clang-format off
  static constexpr Format kFormats[] = {
      {"AKIA", "AWS access key id", "A0", 16}, {"ASIA", "AWS access key id", "A0", 16},
      {"ghp_", "GitHub token", "Aa0", 36}, {"gho_", "GitHub token", "Aa0", 36},
      {"ghu_", "GitHub token", "Aa0", 36}, {"ghs_", "GitHub token", "Aa0", 36},
      {"github_pat_", "GitHub token", "Aa0_", 22}, {"sk_live_", "Stripe key", "Aa0", 24},
      {"sk-", "API key", "Aa0-_", 20}, {"hf_", "Hugging Face token", "Aa0", 30},
      {"xoxb-", "Slack token", "Aa0-", 10}, {"xoxa-", "Slack token", "Aa0-", 10},
      {"xoxp-", "Slack token", "Aa0-", 10}, {"xoxr-", "Slack token", "Aa0-", 10},
      {"xoxs-", "Slack token", "Aa0-", 10}, {"AIza", "Google API key", "Aa0-_", 35},
  };
  // clang-format on

  auto allowed = [](unsigned char c, std::string_view cls) {
    char k = std::isupper(c) ? 'A' : std::islower(c) ? 'a' : std::isdigit(c) ? '0' : static_cast<char>(c);
    return cls.find(k) != std::string_view::npos;
  };
  for (const Format& f : kFormats) {
    for (size_t p = s.find(f.prefix); p != std::string_view::npos; p = s.find(f.prefix, p + 1)) {
      if (p > 0 && (is_alnum(s[p - 1]) || s[p - 1] == '_' || s[p - 1] == '-')) continue;
      size_t e = p + f.prefix.size();
      while (e < s.size() && allowed(s[e], f.body)) ++e;
      std::string_view body = s.substr(p + f.prefix.size(), e - p - f.prefix.size());
      // Machine-generated tokens mix digits and letters ("sk-learn-compatible-x" does not);
      // OpenAI-style keys also mix upper and lower case.
      auto c = classes(body);
      bool random = c[2] && (c[0] || c[1]) && (f.prefix != "sk-" || (c[0] && c[1]));
      if (body.size() < f.min || !random || is_placeholder(body)) continue;
      at = p;
      return f.kind;
    }
  }
  if (size_t p = s.find("-----BEGIN ");
      p != std::string_view::npos && s.find("PRIVATE KEY-----", p) != std::string_view::npos) {
    at = p;
    return "private key";
  }
  // scheme://user:password@host (the '@' before any '/' of the path)
  size_t user = s.find("://"), at_sign = std::string_view::npos;
  if (user != std::string_view::npos) at_sign = s.find('@', user += 3);
  if (at_sign == std::string_view::npos || s.find('/', user) < at_sign) return "";
  std::string_view cred = s.substr(user, at_sign - user);
  size_t colon = cred.find(':');
  if (colon == std::string_view::npos || colon + 1 == cred.size()) return "";
  std::string_view pw = cred.substr(colon + 1);
  if (is_placeholder(pw) || pw.find(' ') != std::string_view::npos) return "";
  at = user + colon + 1;
  return "password in a connection URL";
}

// snake_case / camelCase / kebab / dotted name -> lower-case words.
std::vector<std::string> words(std::string_view name) {
  std::vector<std::string> out{""};
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = name[i], before = i > 0 ? name[i - 1] : ' ';
    bool boundary = !std::isalnum(c) || (std::isupper(c) && std::islower(before));
    if (boundary && !out.back().empty()) out.emplace_back();
    if (std::isalnum(c)) out.back() += static_cast<char>(std::tolower(c));
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

bool names_secret(std::string_view name) {
  std::vector<std::string> w = words(name);
  // Trailing words that do not change what the value is: api_key_value, password_str.
  while (w.size() > 1 && (w.back() == "value" || w.back() == "val" || w.back() == "str" ||
                          w.back() == "string" || w.back() == "raw" || w.back() == "plain"))
    w.pop_back();
  if (w.empty()) return false;
  const std::string& last = w.back();
  std::string prev = w.size() > 1 ? w[w.size() - 2] : "";
  // clang-format off
  static const std::set<std::string> kSecret = {
      "password", "passwd", "pwd", "passphrase", "secret", "token", "credential", "credentials",
      "auth", "authorization", "apikey", "accesskey", "secretkey", "privatekey"};
  static const std::set<std::string> kSpecialTokenPrefix = {  // tokenizer special tokens
      "pad", "padding", "eos", "bos", "sos", "unk", "unknown", "sep", "cls", "mask", "start",
      "end", "stop", "begin", "special", "oov", "split", "null", "blank", "empty", "image",
      "audio", "video", "additional", "placeholder", "next", "page", "continuation", "csrf"};
  static const std::set<std::string> kKeyOwners = {
      "api", "access", "private", "secret", "signing", "encryption", "auth", "subscription",
      "master", "license", "openai", "anthropic", "stripe", "wandb", "comet", "neptune", "cohere",
      "pinecone", "mistral", "groq", "gemini", "azure", "aws", "hf", "huggingface", "replicate",
      "sendgrid", "twilio", "mapbox", "kaggle"};
  // clang-format on
  if (last == "token" && kSpecialTokenPrefix.count(prev)) return false;
  if (kSecret.count(last)) return true;
  return last == "key" && kKeyOwners.count(prev);
}

// The literal value of a plain string node (no placeholders, no implicit concatenation).
std::optional<std::string> plain_string(syntax::Node n, std::string_view text) {
  if (n.kind() != "string") return std::nullopt;
  std::string out;
  for (uint32_t i = 0; i < n.child_count(); ++i) {
    syntax::Node c = n.child(i);
    if (c.kind() == "interpolation") return std::nullopt;
    if (c.kind() == "string_start") {
      if (c.text(text).find_first_of("bB") != std::string_view::npos) return std::nullopt;
      continue;
    }
    if (c.kind() != "string_end") out += c.text(text);
  }
  return out;
}

// The name of an environment variable ("HF_TOKEN"), a path or a URL: where a secret is, not it.
bool names_a_location(std::string_view v) {
  if (std::isupper(static_cast<unsigned char>(v.front())) &&
      v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string_view::npos)
    return true;
  if (v.starts_with("/") || v.starts_with("./") || v.starts_with("../") || v.starts_with("~") ||
      v.find("://") != std::string_view::npos)
    return true;
  for (std::string_view ext : {".txt", ".json", ".pem", ".key", ".env", ".yaml", ".yml", ".cfg",
                               ".ini", ".toml", ".pkl", ".csv", ".crt"})
    if (v.ends_with(ext)) return true;
  return false;
}

// "Bearer eyJ..." -> "eyJ...": the credential after an HTTP auth scheme.
std::string_view strip_scheme(std::string_view value) {
  for (std::string_view scheme : {"Bearer ", "Basic ", "Token ", "bearer ", "token "})
    if (value.starts_with(scheme)) return value.substr(scheme.size());
  return value;
}

// True when `value` (the text of a string literal) assigned to a secret name is a real secret.
bool secret_value(std::string_view name, std::string_view literal) {
  std::string value(strip_scheme(literal));
  if (value.size() < 6 || value.find_first_of(" \t\n") != std::string::npos) return false;
  if (is_placeholder(value) || names_a_location(value)) return false;
  std::string l = lower(value);
  for (const std::string& w : words(name))
    if (l == w) return false;  // password="password": a field name, not a password
  // clang-format off
  static const std::set<std::string> kWords = {"none", "null", "nil", "n/a", "tbd", "secret",
      "password", "token", "key", "apikey", "api_key", "default", "unknown", "required"};
  // clang-format on
  if (kWords.count(l)) return false;
  // Credentials mix character classes; column names and modes ("word", "text_col") do not.
  auto cls = classes(value);
  if (cls[0] + cls[1] + cls[2] + cls[3] < 2) return false;
  std::vector<std::string> w = words(name);
  if (!w.empty() && (w.back() == "auth" || w.back() == "authorization"))
    return value.size() >= 12 && cls[2];  // auth="basic"/"oauth" are modes, not secrets
  return true;
}

std::string preview(std::string_view secret) {
  if (secret.size() < 12) return "";
  return " (`" + std::string(secret.substr(0, 4)) + "...`)";
}

class HardcodedSecret final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }
  std::vector<std::string_view> kinds() const override {
    return {"string", "assignment",        "keyword_argument",
            "pair",   "default_parameter", "typed_default_parameter", "call"};
  }

  void visit(syntax::Node n, RuleContext& ctx) override {
    if (ctx.file().is_test) return;
    if (n.kind() == "string") return visit_string(n, ctx);
    syntax::Node target, value;
    if (n.kind() == "assignment") {
      target = n.field("left");
      value = n.field("right");
      if (target.kind() == "attribute") target = target.field("attribute");
      if (target.kind() == "subscript") target = target.field("subscript");
    } else if (n.kind() == "pair") {
      target = n.field("key");
      value = n.field("value");
    } else if (n.kind() == "call") {
      // os.environ.setdefault("WANDB_API_KEY", "a41f..."), os.putenv(...): the environment
      // variable is the name, the literal its value
      // (the written name first: this runs for every call of every file)
      const std::string_view written = call_last_name(n, ctx.text());
      if (written != "setdefault" && written != "putenv") return;
      const std::string& q = ctx.sem().callee(n);
      if (q != "os.environ.setdefault" && q != "os.putenv") return;
      syntax::Node args = n.field("arguments");
      if (!args || args.named_child_count() != 2) return;
      target = args.named_child(0);
      value = args.named_child(1);
    } else {
      target = n.field("name");
      value = n.field("value");
    }
    if (!target || !value || value.kind() != "string") return;  // only a literal is a secret
    std::string name;
    if (target.kind() == "identifier") {
      name = std::string(ctx.text_of(target));
    } else if (auto s = plain_string(target, ctx.text())) {
      name = *s;
    } else {
      return;
    }
    if (!names_secret(name)) return;  // first: the name test is cheaper than reading the value
    auto v = plain_string(value, ctx.text());
    if (!v || !secret_value(name, *v)) return;
    size_t at = 0;
    if (!token_kind(*v, at).empty()) return;  // reported by visit_string with its format
    ctx.report(finding(value, "`" + name + "` is set to a hardcoded secret" +
                                  preview(strip_scheme(*v)) +
                                  "; read it from the environment or a secret store, and "
                                  "rotate it"));
  }

 private:
  void visit_string(syntax::Node str, RuleContext& ctx) {
    std::string_view text = ctx.text();
    for (uint32_t i = 0; i < str.child_count(); ++i) {
      syntax::Node c = str.child(i);
      if (c.kind() != "string_content") continue;
      std::string_view s = c.text(text);
      size_t at = 0;
      std::string_view kind = token_kind(s, at);
      if (kind.empty()) continue;
      bool show = kind != "private key" && kind != "password in a connection URL";
      ctx.report(finding(str, "Hardcoded " + std::string(kind) +
                                  (show ? preview(s.substr(at)) : "") +
                                  "; anyone with the source can use it. Load it from the "
                                  "environment or a secret store, and rotate it"));
      return;
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_hardcoded_secret() { return std::make_unique<HardcodedSecret>(); }

}  // namespace mlroast::rules
