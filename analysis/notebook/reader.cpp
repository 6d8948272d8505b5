#include "analysis/notebook/reader.hpp"

#include <nlohmann/json.hpp>

#include <cctype>

namespace mlroast::notebook {

namespace {

using nlohmann::json;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const char* type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "a list";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::discarded: return "invalid";
    default: return "a number";
  }
}

// A string member of nested objects ("metadata", "kernelspec", "language"), or "".
std::string string_at(const json& j, std::initializer_list<const char*> keys) {
  const json* at = &j;
  for (const char* k : keys) {
    if (!at->is_object()) return {};
    auto it = at->find(k);
    if (it == at->end()) return {};
    at = &*it;
  }
  return at->is_string() ? at->get<std::string>() : std::string();
}

// nbformat's multiline_string: a string or a list of strings joined as they are.
bool read_source(const json& j, Cell& cell, std::string& why) {
  if (j.is_string()) {
    cell.source = j.get<std::string>();
    cell.source_is_string = true;
    return true;
  }
  if (!j.is_array()) {
    why = std::string("`source` is ") + type_name(j) + ", expected a string or a list of strings";
    return false;
  }
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string()) {
      why = "`source` line " + std::to_string(i + 1) + " is " + type_name(j[i]) +
            ", expected a string";
      return false;
    }
    cell.source += j[i].get_ref<const std::string&>();
  }
  return true;
}

}  // namespace

bool is_python_language(std::string_view language) {
  std::string l = lower(std::string(language));
  return l.empty() || l == "python" || l == "python2" || l == "python3" || l == "ipython" ||
         l == "ipython2" || l == "ipython3";
}

ReadResult read_notebook(std::string_view json_text) {
  ReadResult result;
  json doc;
  try {
    doc = json::parse(json_text.begin(), json_text.end());
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number like 1e999
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 3, column 5: ..." -> after "] ".
    auto close = what.find("] ");
    result.error = "not a valid notebook: broken JSON (" +
                   (close == std::string::npos ? what : what.substr(close + 2)) + ")";
    return result;
  }
  if (!doc.is_object()) {
    result.error = std::string("not a valid notebook: the top level is ") + type_name(doc) +
                   ", expected an object";
    return result;
  }
  Notebook nb;
  auto fmt = doc.find("nbformat");
  if (fmt != doc.end() && fmt->is_number_integer()) nb.nbformat = fmt->get<int>();
  auto minor = doc.find("nbformat_minor");
  if (minor != doc.end() && minor->is_number_integer()) nb.nbformat_minor = minor->get<int>();
  if (nb.nbformat < 4 || (doc.contains("worksheets") && !doc.contains("cells"))) {
    result.error = "nbformat " + std::to_string(nb.nbformat) +
                   " notebooks are not supported (cells are read from nbformat 4); convert it "
                   "with `jupyter nbconvert --to notebook --inplace` and check again";
    return result;
  }
  auto cells = doc.find("cells");
  if (cells == doc.end()) {
    result.error = "not a valid notebook: it has no `cells` list";
    return result;
  }
  if (!cells->is_array()) {
    result.error = std::string("not a valid notebook: `cells` is ") + type_name(*cells) +
                   ", expected a list";
    return result;
  }
  nb.language = lower(string_at(doc, {"metadata", "kernelspec", "language"}));
  if (nb.language.empty()) nb.language = lower(string_at(doc, {"metadata", "language_info", "name"}));

  for (std::size_t i = 0; i < cells->size(); ++i) {
    const json& c = (*cells)[i];
    std::string where = "not a valid notebook: cell " + std::to_string(i + 1) + ": ";
    if (!c.is_object()) {
      result.error = where + "is " + type_name(c) + ", expected an object";
      return result;
    }
    Cell cell;
    std::string type = c.contains("cell_type") && c["cell_type"].is_string()
                           ? c["cell_type"].get<std::string>()
                           : std::string();
    if (type == "code") cell.type = CellType::Code;
    else if (type == "markdown") cell.type = CellType::Markdown;
    else if (type == "raw") cell.type = CellType::Raw;
    else if (type.empty()) {
      result.error = where + "no `cell_type`";
      return result;
    } else cell.type = CellType::Other;
    auto source = c.find("source");
    if (source == c.end()) {
      result.error = where + "no `source`";
      return result;
    }
    std::string why;
    if (!read_source(*source, cell, why)) {
      result.error = where + why;
      return result;
    }
    auto count = c.find("execution_count");
    if (count != c.end() && count->is_number_integer())
      cell.execution_count = count->get<std::int64_t>();
    // VS Code records a per-cell language for polyglot notebooks; otherwise the kernel's.
    std::string own = lower(string_at(c, {"metadata", "vscode", "languageId"}));
    cell.language = own.empty() ? nb.language : own;
    nb.cells.push_back(std::move(cell));
  }
  result.notebook = std::move(nb);
  return result;
}

}  // namespace mlroast::notebook
