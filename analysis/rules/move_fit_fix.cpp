#include "analysis/rules/move_fit_fix.hpp"

#include "analysis/fix/imports.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <unordered_map>

namespace mlroast::rules {

namespace {

using syntax::Node;

// The statement `expr` is the whole right-hand side of: `name = expr` as its own statement.
Node assignment_statement(Node expr) {
  Node a = expr.parent();
  if (a.kind() != "assignment" || a.field("right") != expr) return Node();
  Node s = a.parent();
  return s.kind() == "expression_statement" && s.named_child_count() == 1 ? s : Node();
}

// [start, end) of the statement's lines, newline included; nullopt when other code or a comment
// shares its lines.
std::optional<std::pair<uint32_t, uint32_t>> own_lines(Node stmt, std::string_view text) {
  uint32_t start = stmt.start_byte() - stmt.start_point().column;
  for (uint32_t i = start; i < stmt.start_byte(); ++i)
    if (text[i] != ' ' && text[i] != '\t') return std::nullopt;
  uint32_t end = stmt.end_byte();
  while (end < text.size() && (text[end] == ' ' || text[end] == '\t' || text[end] == '\r')) ++end;
  if (end < text.size() && text[end] != '\n') return std::nullopt;
  return std::make_pair(start, end < text.size() ? end + 1 : end);
}

// `lhs = recv.method(...)` on a statement of its own: that statement, else a null node.
Node method_assignment(Node call, std::string_view text, std::string_view method) {
  Node fn = call.field("function");
  if (call.kind() != "call" || fn.kind() != "attribute" || fn.field("attribute").text(text) != method)
    return Node();
  return assignment_statement(call);
}

// The statement `... = train_test_split(...)` of `split`, in the same block after `stmt_a`.
Node split_statement_after(const RuleContext& ctx, Node split, Node stmt_a) {
  if (split.kind() != "call" || !ctx.sem().callee(split).ends_with(".train_test_split"))
    return Node();
  Node stmt_b = assignment_statement(split);
  if (!stmt_b || stmt_b.parent() != stmt_a.parent() || stmt_b.start_byte() < stmt_a.end_byte())
    return Node();
  return stmt_b;
}

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Start bytes of every occurrence of `name` as a whole word in `text`, attribute names
// (`obj.name`) excepted. Occurrences in strings and comments count too, which only makes the fix
// more cautious.
std::vector<uint32_t> scan_uses(std::string_view text, std::string_view name) {
  std::vector<uint32_t> out;
  if (name.empty()) return out;
  for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
    char before = at == 0 ? ' ' : text[at - 1];
    size_t end = at + name.size();
    if (ident_char(before) || before == '.' || (end < text.size() && ident_char(text[end]))) continue;
    out.push_back(static_cast<uint32_t>(at));
  }
  return out;
}

// scan_uses() for every word of the file at once: one pass over the text per analysis, so the
// fix checks (several per fixable finding) cost the uses of a name, not the length of the file.
struct WordUses {
  std::unordered_map<std::string_view, std::vector<uint32_t>> at;
};

std::vector<uint32_t> uses_of(const RuleContext& ctx, std::string_view name) {
  bool word = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
  for (char c : name) word = word && ident_char(c);
  if (!word) return scan_uses(ctx.text(), name);
  const WordUses& uses = ctx.shared<WordUses>([&] {
    auto index = std::make_shared<WordUses>();
    std::string_view text = ctx.text();
    for (size_t i = 0; i < text.size();) {
      if (!ident_char(text[i])) {
        ++i;
        continue;
      }
      size_t end = i;
      while (end < text.size() && ident_char(text[end])) ++end;
      if (i == 0 || text[i - 1] != '.')
        index->at[text.substr(i, end - i)].push_back(static_cast<uint32_t>(i));
      i = end;
    }
    return index;
  });
  auto it = uses.at.find(name);
  return it == uses.at.end() ? std::vector<uint32_t>{} : it->second;
}

// True when every use of `name` starts at one of `allowed`.
bool only_uses(const RuleContext& ctx, std::string_view name, std::initializer_list<Node> allowed) {
  for (uint32_t at : uses_of(ctx, name)) {
    bool ok = false;
    for (Node n : allowed) ok = ok || n.start_byte() == at;
    if (!ok) return false;
  }
  return true;
}

// True when a use of `name` between `from` and `to` (bytes) stands before `=` (not `==`, `!=`,
// `<=`, `>=`) on its line: a reassignment.
bool reassigned_between(const RuleContext& ctx, std::string_view name, uint32_t from, uint32_t to) {
  std::string_view text = ctx.text();
  for (uint32_t at : uses_of(ctx, name)) {
    if (at <= from || at >= to) continue;
    size_t eq = text.find('=', at);
    size_t nl = text.find('\n', at);
    if (eq != std::string_view::npos && eq < nl && (eq + 1 >= text.size() || text[eq + 1] != '=') &&
        (eq == 0 || (text[eq - 1] != '=' && text[eq - 1] != '!' && text[eq - 1] != '<' &&
                     text[eq - 1] != '>')))
      return true;
  }
  return false;
}

bool is_cv_call(const RuleContext& ctx, Node call) {
  const std::string& callee = ctx.sem().callee(call);
  return callee.ends_with(".cross_val_score") || callee.ends_with(".cross_validate") ||
         callee.ends_with(".cross_val_predict");
}

std::string snake(std::string_view cls) {
  std::string out;
  for (size_t i = 0; i < cls.size(); ++i) {
    char c = cls[i];
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (i > 0 && !std::isupper(static_cast<unsigned char>(cls[i - 1]))) out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

// `Z = t.fit_transform(X)` then `cross_val_score(model, Z, y, ...)`: cross-validate
// `make_pipeline(t, model)` on X instead, so t is refitted inside every fold.
std::optional<Fix> pipeline_for_cv(const RuleContext& ctx, const lineage::LearnEvent& e, Node call,
                                   Node stmt_a, Node z, const std::vector<Node>& fit_args,
                                   Node cv) {
  std::string_view text = ctx.text();
  const auto& sem = ctx.sem();
  if (!is_cv_call(ctx, cv)) return std::nullopt;
  if (fit_args.size() != 1) return std::nullopt;  // unsupervised transformers only
  std::vector<Node> args = syntax::children(cv.field("arguments"));
  if (args.size() < 2 || args[0].kind() == "keyword_argument" || args[1].text(text) != z.text(text))
    return std::nullopt;
  // The transformer must be built right there (an inline constructor) or be a variable fitted
  // only here: the pipeline takes an unfitted copy either way.
  Node recv = call.field("function").field("object");
  if (recv.kind() != "call") return std::nullopt;  // a named transformer may be used later
  bool other_use = !only_uses(ctx, z.text(text), {z, args[1]});
  auto lines_a = own_lines(stmt_a, text);
  if (other_use || !lines_a) return std::nullopt;
  Fix fix{"Cross-validate make_pipeline(" + e.what + ", model) on the raw data",
          Applicability::Safe, {}};
  const auto* bound = sem.lookup("make_pipeline", 0);
  if (bound == nullptr || bound->qualified != "sklearn.pipeline.make_pipeline")
    fix.edits.push_back({import_insertion_point(ctx.file().tree->root(), text),
                         import_insertion_point(ctx.file().tree->root(), text),
                         "from sklearn.pipeline import make_pipeline\n"});
  fix.edits.push_back({lines_a->first, lines_a->second, ""});
  fix.edits.push_back({args[0].start_byte(), args[0].end_byte(),
                       "make_pipeline(" + std::string(recv.text(text)) + ", " +
                           std::string(args[0].text(text)) + ")"});
  fix.edits.push_back({args[1].start_byte(), args[1].end_byte(), std::string(fit_args[0].text(text))});
  return fix;
}

// `X_r, y_r = SMOTE().fit_resample(X, y)` then `cross_val_score(model, X_r, y_r, ...)`: an
// imbalanced-learn pipeline resamples the training folds only.
std::optional<Fix> resampler_pipeline_for_cv(const RuleContext& ctx, Node call, Node stmt_a,
                                             const std::vector<Node>& outs,
                                             const std::vector<Node>& ins, Node cv) {
  std::string_view text = ctx.text();
  if (!is_cv_call(ctx, cv)) return std::nullopt;
  std::vector<Node> args = syntax::children(cv.field("arguments"));
  if (args.size() < 3 || args[0].kind() == "keyword_argument" ||
      args[1].text(text) != outs[0].text(text) || args[2].text(text) != outs[1].text(text))
    return std::nullopt;
  Node recv = call.field("function").field("object");
  if (recv.kind() != "call") return std::nullopt;
  bool other_use = !only_uses(ctx, outs[0].text(text), {outs[0], args[1]}) ||
                   !only_uses(ctx, outs[1].text(text), {outs[1], args[2]});
  auto lines_a = own_lines(stmt_a, text);
  if (other_use || !lines_a) return std::nullopt;
  Fix fix{"Cross-validate an imblearn pipeline that resamples the training folds only",
          Applicability::Safe, {}};
  const auto* bound = ctx.sem().lookup("make_imb_pipeline", 0);
  if (bound == nullptr || bound->qualified != "imblearn.pipeline.make_pipeline") {
    uint32_t at = import_insertion_point(ctx.file().tree->root(), text);
    fix.edits.push_back({at, at, "from imblearn.pipeline import make_pipeline as make_imb_pipeline\n"});
  }
  fix.edits.push_back({lines_a->first, lines_a->second, ""});
  fix.edits.push_back({args[0].start_byte(), args[0].end_byte(),
                       "make_imb_pipeline(" + std::string(recv.text(text)) + ", " +
                           std::string(args[0].text(text)) + ")"});
  fix.edits.push_back({args[1].start_byte(), args[1].end_byte(), std::string(ins[0].text(text))});
  fix.edits.push_back({args[2].start_byte(), args[2].end_byte(), std::string(ins[1].text(text))});
  return fix;
}

}  // namespace

std::optional<Fix> move_fit_after_split(const RuleContext& ctx, const lineage::LearnEvent& e,
                                        const lineage::Leak& leak) {
  std::string_view text = ctx.text();
  const auto& sem = ctx.sem();
  Node call = e.site;
  Node fn = call.field("function");
  Node stmt_a = method_assignment(call, text, "fit_transform");
  if (!stmt_a) return std::nullopt;
  Node z = stmt_a.named_child(0).field("left");
  std::vector<Node> fit_args = syntax::children(call.field("arguments"));
  if (z.kind() != "identifier" || fit_args.empty() || fit_args.size() > 2) return std::nullopt;
  for (Node a : fit_args)
    if (a.kind() != "identifier") return std::nullopt;
  std::string_view z_name = z.text(text), x_name = fit_args[0].text(text);

  // The split that makes the leak, right below in the same block: Z_tr, Z_te, ... = tts(Z, ...)
  if (leak.ends.empty()) return std::nullopt;
  Node split = leak.ends.front().site;
  if (auto cv = pipeline_for_cv(ctx, e, call, stmt_a, z, fit_args, split)) return cv;
  Node stmt_b = split_statement_after(ctx, split, stmt_a);
  if (!stmt_b) return std::nullopt;
  std::vector<Node> targets = syntax::children(stmt_b.named_child(0).field("left"));
  std::vector<Node> split_args = syntax::children(split.field("arguments"));
  if (targets.size() < 4 || split_args.empty() || split_args[0].text(text) != z_name)
    return std::nullopt;
  for (Node t : targets)
    if (t.kind() != "identifier") return std::nullopt;
  std::string y_train;
  if (fit_args.size() == 2) {  // a supervised fit(X, y): y must be the split's second array
    if (split_args.size() < 2 || split_args[1].text(text) != fit_args[1].text(text))
      return std::nullopt;
    y_train = std::string(targets[2].text(text));
  }

  // Z is used nowhere else, and nothing in between reassigns X.
  if (!only_uses(ctx, z_name, {z, split_args[0]})) return std::nullopt;
  if (reassigned_between(ctx, x_name, stmt_a.end_byte(), stmt_b.start_byte())) return std::nullopt;

  auto lines_a = own_lines(stmt_a, text), lines_b = own_lines(stmt_b, text);
  if (!lines_a || !lines_b) return std::nullopt;

  // The transformer: a variable, or a constructor call that gets a variable of its own.
  Node recv = fn.field("object");
  std::string indent(text.substr(stmt_b.start_byte() - stmt_b.start_point().column,
                                 stmt_b.start_point().column));
  std::string t_name, create;
  if (recv.kind() == "identifier") {
    t_name = std::string(recv.text(text));
  } else if (recv.kind() == "call") {
    t_name = snake(std::string(sem.callee(recv).empty() ? "transformer" : e.what));
    if (sem.lookup(t_name, sem.scope_at(stmt_b.start_byte())) != nullptr) return std::nullopt;
    create = indent + t_name + " = " + std::string(recv.text(text)) + "\n";  // its own line
  } else {
    return std::nullopt;
  }
  std::string z_tr(targets[0].text(text)), z_te(targets[1].text(text));
  // Inserted after the split statement (before its newline): [creation,] fit, transform.
  std::string added = "\n" + create + indent + z_tr + " = " + t_name + ".fit_transform(" + z_tr +
                      (y_train.empty() ? "" : ", " + y_train) + ")\n" + indent + z_te + " = " +
                      t_name + ".transform(" + z_te + ")";
  Fix fix{"Fit " + e.what + " on " + z_tr + " only and transform " + z_te, Applicability::Safe, {}};
  fix.edits.push_back({lines_a->first, lines_a->second, ""});
  fix.edits.push_back({split_args[0].start_byte(), split_args[0].end_byte(), std::string(x_name)});
  fix.edits.push_back({stmt_b.end_byte(), stmt_b.end_byte(), added});
  return fix;
}

std::optional<Fix> resample_after_split(const RuleContext& ctx, const lineage::LearnEvent& e,
                                        const lineage::Leak& leak) {
  std::string_view text = ctx.text();
  Node call = e.site;
  Node fn = call.field("function");
  Node stmt_a = method_assignment(call, text, "fit_resample");
  if (!stmt_a) return std::nullopt;
  std::vector<Node> outs = syntax::children(stmt_a.named_child(0).field("left"));
  std::vector<Node> ins = syntax::children(call.field("arguments"));
  if (outs.size() != 2 || ins.size() != 2) return std::nullopt;
  for (Node n : {outs[0], outs[1], ins[0], ins[1]})
    if (n.kind() != "identifier") return std::nullopt;

  if (leak.ends.empty()) return std::nullopt;
  Node split = leak.ends.front().site;
  if (auto cv = resampler_pipeline_for_cv(ctx, call, stmt_a, outs, ins, split)) return cv;
  Node stmt_b = split_statement_after(ctx, split, stmt_a);
  if (!stmt_b) return std::nullopt;
  std::vector<Node> targets = syntax::children(stmt_b.named_child(0).field("left"));
  std::vector<Node> split_args = syntax::children(split.field("arguments"));
  if (targets.size() != 4 || split_args.size() < 2 ||
      split_args[0].text(text) != outs[0].text(text) ||
      split_args[1].text(text) != outs[1].text(text))
    return std::nullopt;
  for (Node t : targets)
    if (t.kind() != "identifier") return std::nullopt;
  // The resampled names are used nowhere else, except in the split's keyword arguments
  // (stratify=y_r), which must then refer to the original labels too.
  std::vector<TextEdit> renames;
  for (int k = 0; k < 2; ++k) {
    std::string_view name = outs[k].text(text);
    for (uint32_t at : uses_of(ctx, name)) {
      if (at == outs[k].start_byte()) continue;
      if (at < split.start_byte() || at >= split.end_byte()) return std::nullopt;
      renames.push_back({at, static_cast<uint32_t>(at + name.size()), std::string(ins[k].text(text))});
    }
  }
  auto lines_a = own_lines(stmt_a, text), lines_b = own_lines(stmt_b, text);
  if (!lines_a || !lines_b) return std::nullopt;
  std::string indent(text.substr(stmt_b.start_byte() - stmt_b.start_point().column,
                                 stmt_b.start_point().column));
  std::string x_tr(targets[0].text(text)), y_tr(targets[2].text(text));
  Fix fix{"Resample only the training split (" + x_tr + ", " + y_tr + ") after the split",
          Applicability::Safe, {}};
  fix.edits.push_back({lines_a->first, lines_a->second, ""});
  for (TextEdit& r : renames) fix.edits.push_back(std::move(r));
  fix.edits.push_back({stmt_b.end_byte(), stmt_b.end_byte(),
                       "\n" + indent + x_tr + ", " + y_tr + " = " +
                           std::string(fn.field("object").text(text)) + ".fit_resample(" + x_tr +
                           ", " + y_tr + ")"});
  return fix;
}

namespace {

bool is_statistic_method(std::string_view m) {
  return m == "mean" || m == "std" || m == "var" || m == "min" || m == "max" || m == "median" ||
         m == "quantile" || m == "sum";
}

// The occurrences of identifier `x` in `expr`, split into statistic receivers (`x.mean(...)`) and
// data; false when some `x` is anything else (an argument of a call, another attribute, inside
// a lambda or comprehension) or a statistic is taken of something other than `x`.
bool classify_uses(Node expr, std::string_view text, std::string_view x, std::vector<Node>& stats,
                   std::vector<Node>& data) {
  bool ok = true;
  syntax::walk(expr, [&](Node n) {
    if (!ok) return false;
    std::string_view k = n.kind();
    if (k == "lambda" || k == "list_comprehension" || k == "generator_expression" ||
        k == "dictionary_comprehension" || k == "set_comprehension") {
      ok = false;
      return false;
    }
    if (k == "attribute") {
      Node parent = n.parent();
      bool stat_call = parent.kind() == "call" && parent.field("function") == n &&
                       is_statistic_method(n.field("attribute").text(text));
      Node obj = n.field("object");
      if (stat_call && (obj.kind() != "identifier" || obj.text(text) != x)) ok = false;
      if (!stat_call && obj.kind() == "identifier" && obj.text(text) == x) ok = false;
      if (stat_call && ok) stats.push_back(obj);
      return ok;
    }
    if (k == "identifier" && n.text(text) == x) {
      Node parent = n.parent();
      if (parent.kind() == "attribute") return true;  // judged at the attribute
      if (parent.kind() == "argument_list" || parent.kind() == "keyword_argument") ok = false;
      else data.push_back(n);
    }
    return ok;
  });
  return ok && !stats.empty() && !data.empty();
}

// `expr`'s text with every node in `a` replaced by `a_name` and every node in `b` by `b_name`.
std::string rewrite(Node expr, std::string_view text, const std::vector<Node>& a,
                    std::string_view a_name, const std::vector<Node>& b, std::string_view b_name) {
  std::vector<std::pair<Node, std::string_view>> all;
  all.reserve(a.size() + b.size());
  for (Node n : a) all.emplace_back(n, a_name);
  for (Node n : b) all.emplace_back(n, b_name);
  std::sort(all.begin(), all.end(),
            [](const auto& l, const auto& r) { return l.first.start_byte() < r.first.start_byte(); });
  std::string out;
  uint32_t at = expr.start_byte();
  for (const auto& [n, name] : all) {
    out.append(text.substr(at, n.start_byte() - at));
    out.append(name);
    at = n.end_byte();
  }
  out.append(text.substr(at, expr.end_byte() - at));
  return out;
}

}  // namespace

std::optional<Fix> normalize_after_split(const RuleContext& ctx, const lineage::LearnEvent& e,
                                         const lineage::Leak& leak) {
  std::string_view text = ctx.text();
  // The statement `Z = <expr>` that contains the statistic.
  Node expr = e.site;
  while (expr && !assignment_statement(expr)) {
    std::string_view k = expr.kind();
    if (k == "expression_statement" || k == "block" || k == "module" || k == "assignment")
      return std::nullopt;
    expr = expr.parent();
  }
  if (!expr) return std::nullopt;
  Node stmt_a = assignment_statement(expr);
  Node z = stmt_a.named_child(0).field("left");
  Node stat_call = e.site.kind() == "call" ? e.site : Node();
  Node recv = stat_call ? stat_call.field("function").field("object") : Node();
  if (z.kind() != "identifier" || recv.kind() != "identifier") return std::nullopt;
  std::string_view z_name = z.text(text), x_name = recv.text(text);
  std::vector<Node> stats, data;
  if (!classify_uses(expr, text, x_name, stats, data)) return std::nullopt;

  if (leak.ends.empty()) return std::nullopt;
  Node split = leak.ends.front().site;
  Node stmt_b = split_statement_after(ctx, split, stmt_a);
  if (!stmt_b) return std::nullopt;
  std::vector<Node> targets = syntax::children(stmt_b.named_child(0).field("left"));
  std::vector<Node> split_args = syntax::children(split.field("arguments"));
  if (targets.size() < 2 || split_args.empty() || split_args[0].text(text) != z_name)
    return std::nullopt;
  for (Node t : targets)
    if (t.kind() != "identifier") return std::nullopt;

  // Z is used nowhere else (when Z is X itself, nowhere after this statement), and nothing in
  // between reassigns X.
  for (uint32_t at : uses_of(ctx, z_name)) {
    bool before = z_name == x_name && at < stmt_a.start_byte();
    bool inside = at >= stmt_a.start_byte() && at < stmt_a.end_byte();
    if (!before && !inside && at != split_args[0].start_byte()) return std::nullopt;
  }
  if (z_name != x_name && reassigned_between(ctx, x_name, stmt_a.end_byte(), stmt_b.start_byte()))
    return std::nullopt;
  auto lines_a = own_lines(stmt_a, text), lines_b = own_lines(stmt_b, text);
  if (!lines_a || !lines_b) return std::nullopt;

  std::string indent(text.substr(stmt_b.start_byte() - stmt_b.start_point().column,
                                 stmt_b.start_point().column));
  std::string z_tr(targets[0].text(text)), z_te(targets[1].text(text));
  std::string added = "\n" + indent + z_te + " = " + rewrite(expr, text, stats, z_tr, data, z_te) +
                      "\n" + indent + z_tr + " = " + rewrite(expr, text, stats, z_tr, data, z_tr);
  Fix fix{"Compute the statistics on " + z_tr + " only and apply them to " + z_te,
          Applicability::Safe, {}};
  fix.edits.push_back({lines_a->first, lines_a->second, ""});
  if (z_name != x_name)
    fix.edits.push_back({split_args[0].start_byte(), split_args[0].end_byte(), std::string(x_name)});
  fix.edits.push_back({stmt_b.end_byte(), stmt_b.end_byte(), added});
  return fix;
}

}  // namespace mlroast::rules
