;;; mlroast.el --- mlroast language server for eglot and lsp-mode  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages, tools, python

;;; Commentary:

;; mlroast reviews Python machine-learning code (data leakage, evaluation mistakes, code
;; quality, security) as a language server: `mlroast server' on stdin/stdout.
;;
;; eglot: loading this file adds mlroast to `eglot-server-programs' for python-mode (and
;; python-ts-mode); then M-x eglot in a Python buffer.  Eglot runs ONE server per buffer, so this
;; entry takes the place of pyright/pylsp there; set `mlroast-eglot-register' to nil to keep your
;; current Python server (see docs/editors.md for running both).
;;
;; lsp-mode: mlroast is registered as an add-on client (`:add-on? t'), so it runs next to
;; pyright, pylsp or any other Python server in the same buffer.
;;
;; M-x mlroast-review-workspace asks the server for a review of the whole project and opens
;; the Markdown report it writes.

;;; Code:

(require 'cl-lib)
(require 'url-util)

(defgroup mlroast nil
  "The mlroast language server for Python ML code."
  :group 'tools
  :prefix "mlroast-")

(defcustom mlroast-executable "mlroast"
  "Path of the mlroast executable (or a name on `exec-path')."
  :type 'string)

(defcustom mlroast-server-args nil
  "Extra arguments after `mlroast server', e.g. (\"--debounce-ms\" \"300\")."
  :type '(repeat string))

(defcustom mlroast-select nil
  "Rule codes or prefixes to enable, as `mlroast check --select'.
Nil: the defaults."
  :type '(repeat string))

(defcustom mlroast-extend-select nil
  "Rule codes or prefixes to enable on top of the selection."
  :type '(repeat string))

(defcustom mlroast-ignore nil
  "Rule codes or prefixes to disable, as `mlroast check --ignore'."
  :type '(repeat string))

(defcustom mlroast-log-level "warn"
  "Level of the server's own log (stderr: eglot's and lsp-mode's stderr buffers)."
  :type '(choice (const "trace") (const "debug") (const "info") (const "warn")
                 (const "error") (const "critical") (const "off")))

(defcustom mlroast-review-output ""
  "Where `mlroast-review-workspace' writes its Markdown report.
Relative to the project root; empty for the server's default."
  :type 'string)

(defcustom mlroast-eglot-register t
  "When non-nil, loading eglot adds mlroast to `eglot-server-programs' for Python."
  :type 'boolean)

(defconst mlroast-review-command "mlroast.reviewWorkspace"
  "The server command behind `mlroast-review-workspace'.")

(defun mlroast-server-command ()
  "The command line that starts the server."
  (append (list mlroast-executable "server" "--log-level" mlroast-log-level)
          mlroast-server-args))

(defun mlroast-settings ()
  "The settings for the server.
Sent as initializationOptions and in workspace/didChangeConfiguration."
  (list :select (vconcat mlroast-select)
        :ignore (vconcat mlroast-ignore)
        :extendSelect (vconcat mlroast-extend-select)
        :logLevel mlroast-log-level
        :reviewOutput mlroast-review-output))

(defun mlroast--file-uri (path)
  "The file:// URI of PATH."
  (concat "file://" (url-hexify-string (expand-file-name path) url-path-allowed-chars)))

;;;; eglot

(declare-function eglot-current-server "eglot")
(declare-function eglot-execute-command "eglot")
(defvar eglot-server-programs)

(defun mlroast-eglot-contact (&optional _interactive)
  "Eglot contact for mlroast: the server command and its initializationOptions."
  (append (mlroast-server-command)
          (list :initializationOptions (lambda (_server) (mlroast-settings)))))

(defun mlroast-eglot-setup ()
  "Put mlroast first in `eglot-server-programs' for Python buffers."
  (add-to-list 'eglot-server-programs
               '((python-mode python-ts-mode) . mlroast-eglot-contact)))

(with-eval-after-load 'eglot
  (when mlroast-eglot-register (mlroast-eglot-setup)))

;;;; lsp-mode

(declare-function lsp-register-client "lsp-mode")
(declare-function make-lsp-client "lsp-mode")
(declare-function lsp-stdio-connection "lsp-mode")
(declare-function lsp-activate-on "lsp-mode")
(declare-function lsp-request "lsp-mode")
(declare-function lsp--set-configuration "lsp-mode")
(defvar lsp-mode)
(defvar lsp--cur-workspace)

(with-eval-after-load 'lsp-mode
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection #'mlroast-server-command)
    :activation-fn (lsp-activate-on "python")
    :server-id 'mlroast
    :add-on? t          ; next to pyright/pylsp, not instead of them
    :priority -2
    :initialization-options #'mlroast-settings
    ;; What lsp-mode's `with-lsp-workspace' does, spelled out so that this file byte-compiles
    ;; without lsp-mode: send the settings to this server only.
    :initialized-fn (lambda (workspace)
                      (let ((lsp--cur-workspace workspace))
                        (lsp--set-configuration (list :mlroast (mlroast-settings))))))))

;;;; The workspace review

(defun mlroast--project-root ()
  "The root to review: the project of the current buffer, else `default-directory'."
  (or (and (fboundp 'project-current)
           (let ((project (project-current)))
             (and project (if (fboundp 'project-root) (project-root project)
                            (car (with-no-warnings (project-roots project)))))))
      default-directory))

(defun mlroast--show-review (reply)
  "Open the report named by REPLY, the plist `mlroast.reviewWorkspace' returns."
  (let ((path (plist-get reply :path)))
    (unless (stringp path)
      (error "The mlroast.reviewWorkspace reply has no path: %S" reply))
    (find-file-other-window path)
    (message "mlroast: %s — %s" (plist-get reply :verdict) (plist-get reply :summary))
    reply))

(defun mlroast-review-workspace (&optional root)
  "Review ROOT (default: the project) with the mlroast server; open the report."
  (interactive)
  (let* ((root (or root (mlroast--project-root)))
         (arguments (vector (list :root (mlroast--file-uri root)))))
    (cond
     ((and (featurep 'eglot) (eglot-current-server))
      (mlroast--show-review
       (eglot-execute-command (eglot-current-server) mlroast-review-command arguments)))
     ((and (featurep 'lsp-mode) (bound-and-true-p lsp-mode))
      (mlroast--show-review
       (lsp-request "workspace/executeCommand"
                    (list :command mlroast-review-command :arguments arguments))))
     (t (user-error "No mlroast server manages this buffer (M-x eglot or M-x lsp first)")))))

(provide 'mlroast)
;;; mlroast.el ends here
