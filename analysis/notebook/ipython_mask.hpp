// IPython syntax in a code cell, made harmless for a Python parser without moving a byte: line
// magics (`%matplotlib inline`), shell escapes (`!pip install x`), assignments from them
// (`files = !ls`, `t = %timeit -o f()`), help (`df.merge?`, `??np.where`) and automagic
// (`pip install x`, `conda install y`, `cd data` written without `%`) are overwritten in
// place, so every byte offset, row and column of the masked text is the original's. A masked
// statement becomes blanks, or `0` followed by blanks when it is indented (a block must keep a
// statement) or is the right-hand side of an assignment. Cell magics: `%%time`, `%%timeit`,
// `%%capture`, `%%prun`, `%%debug` and `%%memit` run their body as Python in the kernel, so only
// their first line is masked; any other cell magic (`%%bash`, `%%sql`, `%%writefile`, ...) means
// the cell is not Python and it is skipped. Magic-looking lines inside strings, brackets and
// backslash continuations are Python, not magics, and are left alone (a small lexer tracks them).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mlroast::notebook {

struct MaskedCell {
  std::string text;                 // same length as the input; IPython syntax blanked
  bool skipped = false;             // a cell magic whose body is not kernel Python
  std::string skip_reason;          // "%%bash cell"
  std::vector<std::string> binds;   // names bound by masked syntax (`%%capture out` binds out)
  bool binds_unknown = false;       // `%run`, `%store -r`, `%load`: binds names we cannot see
};

MaskedCell mask_ipython(std::string_view source);

}  // namespace mlroast::notebook
