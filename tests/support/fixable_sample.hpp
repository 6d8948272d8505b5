// A small script with one safe fix (ML704: a mutable default) and one unsafe fix (ML703: a bare
// except), shared by the CLI fix tests and the LSP code-action transcripts.
#pragma once

#include <string>

namespace mlroast::test {

inline const std::string kFixableParams = R"(import json


def load_params(path, overrides={}):
    try:
        with open(path) as fh:
            params = json.load(fh)
    except:
        params = {}
    params.update(overrides)
    return params
)";

}  // namespace mlroast::test
