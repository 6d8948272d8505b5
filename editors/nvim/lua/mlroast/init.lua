-- mlroast for Neovim's built-in LSP client. Put editors/nvim on 'runtimepath', then
--   require('mlroast').setup({ cmd = { '/path/to/mlroast', 'server' } })
-- Neovim 0.11+: vim.lsp.config + vim.lsp.enable (lsp/mlroast.lua holds the same defaults).
-- Neovim 0.8-0.10: vim.lsp.start from a FileType autocommand (it reuses a client per root).
-- Neovim 0.7: vim.lsp.start_client + vim.lsp.buf_attach_client, one client per root.
-- Commands: :MlroastReview [root] (writes the Markdown report and opens it), :MlroastRestart.
local M = {}

M.review_command = 'mlroast.reviewWorkspace'
M.root_markers = { 'pyproject.toml', 'setup.cfg', '.git' }

-- The settings the server reads (initializationOptions, and settings.mlroast of
-- workspace/didChangeConfiguration).
M.default_settings = {
  select = {},
  ignore = {},
  extendSelect = {},
  logLevel = 'warn',
  reviewOutput = '',
}

local options = {
  cmd = { 'mlroast', 'server' },
  filetypes = { 'python' },
  root_markers = M.root_markers,
  settings = vim.deepcopy(M.default_settings),
  on_attach = nil,
}

-- Nearest folder above `path` holding one of the root markers; else the file's folder.
-- (vim.fs, which does this in 0.8+, is not in 0.7.)
function M.find_root(path, markers)
  markers = markers or options.root_markers
  local dir = vim.fn.fnamemodify(path, ':p:h')
  while true do
    for _, marker in ipairs(markers) do
      if vim.loop.fs_stat(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return vim.fn.fnamemodify(path, ':p:h')
    end
    dir = parent
  end
end

-- Empty lists are left out (the server's defaults apply): Neovim's JSON encoder would send an
-- empty Lua table as an object.
local function json_settings(settings)
  local out = {}
  for k, v in pairs(settings) do
    if not (type(v) == 'table' and vim.tbl_isempty(v)) then
      out[k] = v
    end
  end
  return out
end

-- The client configuration for a buffer in `root`.
function M.client_config(root)
  local settings = json_settings(options.settings)
  return {
    name = 'mlroast',
    cmd = options.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = settings,
    settings = { mlroast = vim.deepcopy(settings) },
    on_attach = options.on_attach,
  }
end

local clients_by_root = {}  -- 0.7 only: vim.lsp.start does this bookkeeping in 0.8+

-- Starts (or reuses) the client for the buffer's project and attaches the buffer.
function M.start(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return nil
  end
  local root = M.find_root(name)
  if vim.lsp.start then
    return vim.lsp.start(M.client_config(root), { bufnr = bufnr })
  end
  local id = clients_by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(M.client_config(root))
    if not id then
      vim.notify('mlroast: could not start ' .. table.concat(options.cmd, ' '), vim.log.levels.ERROR)
      return nil
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

-- Clients named mlroast, optionally only those attached to `bufnr`.
local function mlroast_clients(bufnr)
  if vim.lsp.get_clients then  -- 0.10+
    return vim.lsp.get_clients({ name = 'mlroast', bufnr = bufnr })
  end
  local out = {}
  for _, client in pairs(bufnr and vim.lsp.buf_get_clients(bufnr) or vim.lsp.get_active_clients()) do
    if client.name == 'mlroast' then
      table.insert(out, client)
    end
  end
  return out
end

-- The mlroast client attached to `bufnr`, if any.
function M.client(bufnr)
  return mlroast_clients(bufnr or vim.api.nvim_get_current_buf())[1]
end

local function request(client, method, params, handler, bufnr)
  if vim.fn.has('nvim-0.11') == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

-- Asks the server to review `root` (default: the client's root) and opens the report.
-- `on_done(err, reply)` is called with the reply, for scripts and tests.
function M.review(root, on_done)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client then
    vim.notify('mlroast: no mlroast client for this buffer', vim.log.levels.ERROR)
    return
  end
  root = root and root ~= '' and vim.fn.fnamemodify(root, ':p') or client.config.root_dir
  local params = { command = M.review_command, arguments = { { root = vim.uri_from_fname(root) } } }
  request(client, 'workspace/executeCommand', params, function(err, reply)
    if err then
      vim.notify('mlroast: review failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    elseif type(reply) ~= 'table' or type(reply.path) ~= 'string' then
      err = { message = 'mlroast.reviewWorkspace reply has no path: ' .. vim.inspect(reply) }
      vim.notify('mlroast: ' .. err.message, vim.log.levels.ERROR)
    else
      vim.cmd('edit ' .. vim.fn.fnameescape(reply.path))
      vim.notify(('mlroast: %s — %s'):format(reply.verdict or '?', reply.summary or ''))
    end
    if on_done then
      on_done(err, reply)
    end
  end, bufnr)
end

function M.restart()
  local buffers = {}
  for _, client in ipairs(mlroast_clients(nil)) do
    for bufnr in pairs(client.attached_buffers or {}) do
      table.insert(buffers, bufnr)
    end
    if vim.fn.has('nvim-0.11') == 1 then
      client:stop()
    else
      client.stop()
    end
  end
  clients_by_root = {}
  vim.defer_fn(function()
    for _, bufnr in ipairs(buffers) do
      if vim.api.nvim_buf_is_valid(bufnr) then
        M.start(bufnr)
      end
    end
  end, 500)
end

-- opts: cmd, filetypes, root_markers, settings (merged into the defaults), on_attach.
function M.setup(opts)
  options = vim.tbl_deep_extend('force', options, opts or {})
  vim.api.nvim_create_user_command('MlroastReview', function(args)
    M.review(args.args)
  end, { nargs = '?', complete = 'dir', desc = 'mlroast: review the workspace, open the report' })
  vim.api.nvim_create_user_command('MlroastRestart', M.restart,
    { desc = 'mlroast: restart the server' })

  if vim.lsp.config and vim.lsp.enable then  -- 0.11+
    vim.lsp.config('mlroast', {
      cmd = options.cmd,
      filetypes = options.filetypes,
      root_markers = options.root_markers,
      init_options = json_settings(options.settings),
      settings = { mlroast = json_settings(options.settings) },
      on_attach = options.on_attach,
    })
    vim.lsp.enable('mlroast')
    return
  end
  local group = vim.api.nvim_create_augroup('mlroast', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = options.filetypes,
    callback = function(args)
      M.start(args.buf)
    end,
  })
  -- Buffers already open when setup() runs.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(options.filetypes, vim.bo[bufnr].filetype) then
      M.start(bufnr)
    end
  end
end

return M
