// Fixes of the deep-learning rules: ML501 (CrossEntropyLoss on log-probabilities becomes NLLLoss,
// safe), ML503 (`acc += loss` becomes `acc += loss.item()`, safe when provably equivalent),
// ML502 (BCELoss becomes BCEWithLogitsLoss, unsafe) and ML504 (zero_grad inserted, unsafe).
// Each applies the edits, checks the exact text, that it parses and that the finding is gone.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "analysis/analyzer.hpp"
#include "support/fix_testing.hpp"
#include "analysis/syntax/tree.hpp"

namespace {

using mlroast::test::apply_fix;
using mlroast::test::only_rule;
using mlroast::test::parses_cleanly;

std::vector<mlroast::Finding> run(const std::string& code, const std::string& text) {
  mlroast::RuleSelection sel;
  sel.select = {code};
  return mlroast::analyze_text("train.py", text, sel);
}

const std::string kLogSoftmaxNet =
    "import torch\n"
    "import torch.nn as nn\n"
    "import torch.nn.functional as F\n"
    "\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(20, 4)\n"
    "\n"
    "    def forward(self, x):\n"
    "        return F.log_softmax(self.fc(x), dim=1)\n"
    "\n"
    "model = Net()\n";

}  // namespace

TEST_CASE("ML501 fix: CrossEntropyLoss on log_softmax output becomes NLLLoss", "[rules][fix]") {
  const std::string before = kLogSoftmaxNet +
                             "criterion = nn.CrossEntropyLoss(weight=torch.ones(4))\n"
                             "for xb, yb in loader:\n"
                             "    loss = criterion(model(xb), yb)\n"
                             "val = criterion(model(xv), yv)\n";
  auto findings = run("ML501", before);
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].severity == mlroast::Severity::Warning);
  // The shared criterion is rewritten once, by the first finding.
  REQUIRE(findings[0].fix.has_value());
  CHECK_FALSE(findings[1].fix.has_value());
  CHECK(findings[0].fix->applicability == mlroast::Applicability::Safe);
  std::string after = apply_fix(before, *findings[0].fix);
  CHECK(after == kLogSoftmaxNet +
                     "criterion = nn.NLLLoss(weight=torch.ones(4))\n"
                     "for xb, yb in loader:\n"
                     "    loss = criterion(model(xb), yb)\n"
                     "val = criterion(model(xv), yv)\n");
  CHECK(parses_cleanly(after));
  CHECK(run("ML501", after).empty());
}

TEST_CASE("ML501 fix: functional cross_entropy becomes nll_loss", "[rules][fix]") {
  const std::string before = kLogSoftmaxNet + "loss = F.cross_entropy(model(xb), yb)\n";
  auto findings = run("ML501", before);
  REQUIRE(findings.size() == 1);
  REQUIRE(findings[0].fix.has_value());
  CHECK(apply_fix(before, *findings[0].fix) ==
        kLogSoftmaxNet + "loss = F.nll_loss(model(xb), yb)\n");
}

TEST_CASE("ML501: no fix for softmax, label smoothing, or a criterion that also sees logits",
          "[rules][fix]") {
  std::string softmax = kLogSoftmaxNet;
  softmax.replace(softmax.find("F.log_softmax"), 13, "F.softmax");
  auto f1 = run("ML501", softmax + "loss = nn.CrossEntropyLoss()(model(xb), yb)\n");
  REQUIRE(f1.size() == 1);
  CHECK(f1[0].severity == mlroast::Severity::Error);
  CHECK_FALSE(f1[0].fix.has_value());

  auto f2 = run("ML501", kLogSoftmaxNet + "criterion = nn.CrossEntropyLoss(label_smoothing=0.1)\n"
                                          "loss = criterion(model(xb), yb)\n");
  REQUIRE(f2.size() == 1);
  CHECK_FALSE(f2[0].fix.has_value());

  auto f3 = run("ML501", kLogSoftmaxNet + "head = nn.Linear(20, 4)\n"
                                          "criterion = nn.CrossEntropyLoss()\n"
                                          "a = criterion(model(xb), yb)\n"
                                          "b = criterion(head(xb), yb)\n");
  REQUIRE(f3.size() == 1);
  CHECK_FALSE(f3[0].fix.has_value());
}

TEST_CASE("ML503 fix: running loss accumulates loss.item()", "[rules][fix]") {
  const std::string head =
      "import torch\n"
      "import torch.nn as nn\n"
      "criterion = nn.MSELoss()\n"
      "optimizer = torch.optim.Adam(model.parameters())\n"
      "running = 0.0\n"
      "for xb, yb in loader:\n"
      "    optimizer.zero_grad()\n"
      "    loss = criterion(model(xb), yb)\n"
      "    loss.backward()\n"
      "    optimizer.step()\n";
  const std::string before = head + "    running += loss * xb.size(0)\n"
                                    "print(running / n)\n";
  auto findings = run("ML503", before);
  REQUIRE(findings.size() == 1);
  REQUIRE(findings[0].fix.has_value());
  CHECK(findings[0].fix->applicability == mlroast::Applicability::Safe);
  std::string after = apply_fix(before, *findings[0].fix);
  CHECK(after == head + "    running += loss.item() * xb.size(0)\n"
                        "print(running / n)\n");
  CHECK(parses_cleanly(after));
  CHECK(run("ML503", after).empty());

  // Used as a tensor afterwards: the rewrite would break `running.item()`, so it is unsafe.
  const std::string tensor_use = head + "    running += loss\n"
                                        "print(running.item() / n)\n";
  auto f2 = run("ML503", tensor_use);
  REQUIRE(f2.size() == 1);
  REQUIRE(f2[0].fix.has_value());
  CHECK(f2[0].fix->applicability == mlroast::Applicability::Unsafe);

  // reduction="none": the loss is not a scalar, `.item()` would raise: no fix.
  std::string none = before;
  none.replace(none.find("nn.MSELoss()"), 12, "nn.MSELoss(reduction=\"none\")");
  auto f3 = run("ML503", none);
  REQUIRE(f3.size() == 1);
  CHECK_FALSE(f3[0].fix.has_value());
}

TEST_CASE("ML502 fix: BCELoss becomes BCEWithLogitsLoss (unsafe)", "[rules][fix]") {
  const std::string head =
      "import torch.nn as nn\n"
      "model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))\n";
  const std::string before = head + "criterion = nn.BCELoss()\n"
                                    "loss = criterion(model(x).squeeze(1), y)\n";
  auto findings = run("ML502", before);
  REQUIRE(findings.size() == 1);
  REQUIRE(findings[0].fix.has_value());
  CHECK(findings[0].fix->applicability == mlroast::Applicability::Unsafe);
  std::string after = apply_fix(before, *findings[0].fix);
  CHECK(after == head + "criterion = nn.BCEWithLogitsLoss()\n"
                        "loss = criterion(model(x).squeeze(1), y)\n");
  CHECK(run("ML502", after).empty());
}

TEST_CASE("ML504 fix: zero_grad inserted before backward (unsafe)", "[rules][fix]") {
  const std::string before =
      "import torch\n"
      "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
      "for xb, yb in loader:\n"
      "    loss = criterion(model(xb), yb)\n"
      "    loss.backward()\n"
      "    optimizer.step()\n";
  auto findings = run("ML504", before);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].range.start.row == 4);
  REQUIRE(findings[0].fix.has_value());
  CHECK(findings[0].fix->applicability == mlroast::Applicability::Unsafe);
  std::string after = apply_fix(before, *findings[0].fix);
  CHECK(after ==
        "import torch\n"
        "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "for xb, yb in loader:\n"
        "    loss = criterion(model(xb), yb)\n"
        "    optimizer.zero_grad()\n"
        "    loss.backward()\n"
        "    optimizer.step()\n");
  CHECK(parses_cleanly(after));
  CHECK(run("ML504", after).empty());
}

TEST_CASE("ML503 fix: appended losses become .item(), outputs .detach() (unsafe)", "[rules][fix]") {
  const std::string head =
      "import torch\n"
      "import torch.nn as nn\n"
      "model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))\n"
      "criterion = nn.MSELoss()\n"
      "optimizer = torch.optim.Adam(model.parameters())\n"
      "history, outputs = [], []\n"
      "for xb, yb in loader:\n"
      "    optimizer.zero_grad()\n"
      "    out = model(xb)\n"
      "    loss = criterion(out, yb)\n"
      "    loss.backward()\n"
      "    optimizer.step()\n";
  const std::string before = head + "    history.append(loss)\n"
                                    "    outputs.append(out)\n";
  auto findings = run("ML503", before);
  REQUIRE(findings.size() == 2);
  REQUIRE(findings[0].fix.has_value());
  REQUIRE(findings[1].fix.has_value());
  CHECK(findings[0].fix->applicability == mlroast::Applicability::Unsafe);
  CHECK(findings[1].fix->applicability == mlroast::Applicability::Unsafe);
  std::string after = apply_fix(apply_fix(before, *findings[1].fix), *findings[0].fix);
  CHECK(after == head + "    history.append(loss.item())\n"
                        "    outputs.append(out.detach())\n");
  CHECK(parses_cleanly(after));
  CHECK(run("ML503", after).empty());
}
