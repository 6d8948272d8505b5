// Generators of realistic leaky ML code for benchmarks: a Kaggle-style script built from blocks
// of load / feature engineering / leaky preprocessing / training / evaluation, each with its own
// variable names so the lineage engine tracks many independent values.
#pragma once

#include <string>
#include <vector>

namespace mlroast::bench {

// A script of about `lines` lines.
std::string leaky_script(int lines, unsigned seed = 1);

// A Jupyter notebook (nbformat 4 JSON, as Jupyter writes it) with `code_cells` code cells: the
// imports, then one experiment block of leaky_script per cell, a markdown cell before every tenth
// and IPython syntax (`%%time`, `!nvidia-smi`, `df.describe?`) sprinkled in, plus outputs.
std::string leaky_notebook(int code_cells, unsigned seed = 1);

}  // namespace mlroast::bench
