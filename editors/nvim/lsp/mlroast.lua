-- Neovim 0.11+: with editors/nvim on 'runtimepath', `vim.lsp.enable('mlroast')` picks this up;
-- override with vim.lsp.config('mlroast', { cmd = { '/path/to/mlroast', 'server' } }).
-- The :MlroastReview command comes with require('mlroast').setup().
return {
  cmd = { 'mlroast', 'server' },
  filetypes = { 'python' },
  root_markers = { 'pyproject.toml', 'setup.cfg', '.git' },
  init_options = { logLevel = 'warn' },
  settings = { mlroast = { logLevel = 'warn' } },
}
