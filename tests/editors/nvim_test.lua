-- Headless Neovim (Debian 12's 0.7.2 and newer) with editors/nvim loaded: opens a leaky file of
-- a copy of examples/churn-project, waits for mlroast's diagnostics through vim.diagnostic.get and
-- checks them against `mlroast check --output-format json` on the same file.
-- Run: MLROAST_BINARY=build/mlroast nvim --headless --clean -c 'luafile tests/editors/nvim_test.lua'
local source_dir = assert(os.getenv('MLROAST_SOURCE_DIR'), 'MLROAST_SOURCE_DIR is not set')
local binary = assert(os.getenv('MLROAST_BINARY'), 'MLROAST_BINARY is not set')
local timeout_ms = tonumber(os.getenv('MLROAST_TEST_TIMEOUT_MS') or '15000')
local rel = 'src/churn/train.py'

local function say(msg)
  io.stdout:write(msg .. '\n')
end

local function fail(msg)
  io.stderr:write('nvim test FAILED: ' .. msg .. '\n')
  vim.cmd('cquit 1')
end

local function check(cond, msg)
  if not cond then
    error(msg, 0)
  end
end

local function wait_for(what, pred)
  if not vim.wait(timeout_ms, pred, 50) then
    error(('no %s within %d ms'):format(what, timeout_ms), 0)
  end
end

-- "CODE row:col-row:col" for every finding, 1-based like the CLI's JSON, sorted.
local function cli_findings(file)
  local out = vim.fn.system({ binary, 'check', '--output-format', 'json', file })
  check(vim.v.shell_error == 1, ('mlroast check exited %d (expected 1: findings): %s'):format(vim.v.shell_error, out))
  local keys = {}
  for _, f in ipairs(vim.fn.json_decode(out)) do
    table.insert(keys, ('%s %d:%d-%d:%d'):format(f.code, f.location.row, f.location.column,
      f.end_location.row, f.end_location.column))
  end
  table.sort(keys)
  return keys
end

local function diagnostic_code(d)
  if d.code then
    return d.code
  end
  return d.user_data and d.user_data.lsp and d.user_data.lsp.code
end

local function main()
  vim.cmd('filetype on')
  local root = vim.fn.tempname()
  vim.fn.mkdir(root, 'p')
  vim.fn.system({ 'cp', '-r', source_dir .. '/examples/churn-project/.', root })
  vim.fn.mkdir(root .. '/.git', 'p')  -- the root marker the client must find
  root = vim.loop.fs_realpath(root)

  vim.opt.runtimepath:prepend(source_dir .. '/editors/nvim')
  local mlroast = require('mlroast')
  mlroast.setup({ cmd = { binary, 'server' } })
  local commands = vim.api.nvim_get_commands({})
  check(commands.MlroastReview and commands.MlroastRestart, 'setup() did not define :MlroastReview and :MlroastRestart')

  local file = root .. '/' .. rel
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  check(vim.bo[bufnr].filetype == 'python', 'filetype is "' .. vim.bo[bufnr].filetype .. '", not python')

  wait_for('mlroast client attached to ' .. rel, function()
    return mlroast.client(bufnr) ~= nil
  end)
  local client = mlroast.client(bufnr)
  check(client.config.root_dir == root, ('root_dir %s, expected %s'):format(client.config.root_dir, root))

  local function ours()
    return vim.tbl_filter(function(d)
      return d.source == 'mlroast'
    end, vim.diagnostic.get(bufnr))
  end
  wait_for('diagnostics from mlroast for ' .. rel .. ' (vim.diagnostic.get)', function()
    return #ours() > 0
  end)

  local got = {}
  local codes = {}
  for _, d in ipairs(ours()) do
    local code = diagnostic_code(d)
    check(type(code) == 'string', 'a diagnostic without a code: ' .. vim.inspect(d))
    codes[code] = true
    table.insert(got, ('%s %d:%d-%d:%d'):format(code, d.lnum + 1, d.col + 1, d.end_lnum + 1, d.end_col + 1))
  end
  table.sort(got)
  for _, code in ipairs({ 'ML101', 'ML102', 'ML103', 'ML107', 'ML703' }) do
    check(codes[code], code .. ' missing from the diagnostics: ' .. table.concat(got, ', '))
  end
  local want = cli_findings(file)
  check(vim.deep_equal(got, want), ('diagnostics differ from `mlroast check`:\n  editor: %s\n  cli:    %s')
    :format(table.concat(got, ', '), table.concat(want, ', ')))

  say(('nvim %s: %d mlroast diagnostics in %s, identical to mlroast check'):format(
    tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch),
    #got, rel))
  vim.fn.delete(root, 'rf')
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  fail(tostring(err))
else
  vim.cmd('qall!')
end
