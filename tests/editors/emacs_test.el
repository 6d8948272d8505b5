;;; emacs_test.el --- eglot + flymake against the real mlroast server  -*- lexical-binding: t; -*-

;; Emacs in batch mode (Debian 12: Emacs 28.2 with elpa-eglot 1.9) loads editors/emacs/mlroast.el,
;; opens a leaky file of a copy of examples/churn-project with eglot, and waits until flymake
;; reports mlroast's diagnostics; they must equal `mlroast check --output-format json' on the file.
;; Run: MLROAST_BINARY=build/mlroast MLROAST_SOURCE_DIR=. emacs -Q --batch -l tests/editors/emacs_test.el

;;; Code:

(require 'cl-lib)
(require 'package)
;; Debian's elpa-* packages (elpa-eglot) live here; -Q skips the site start-up that adds it.
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)

(defvar mlroast-test-source (or (getenv "MLROAST_SOURCE_DIR") (error "MLROAST_SOURCE_DIR is not set")))
(defvar mlroast-test-binary (or (getenv "MLROAST_BINARY") (error "MLROAST_BINARY is not set")))
(defvar mlroast-test-timeout (/ (string-to-number (or (getenv "MLROAST_TEST_TIMEOUT_MS") "15000")) 1000.0))
(defvar mlroast-test-file "src/churn/train.py")

(defun mlroast-test-fail (format-string &rest args)
  (princ (concat "emacs test FAILED: " (apply #'format format-string args) "\n") #'external-debugging-output)
  (kill-emacs 1))

(defun mlroast-test-wait (what predicate)
  "Run the event loop until PREDICATE is non-nil; fail naming WHAT after the timeout."
  (let ((deadline (+ (float-time) mlroast-test-timeout)))
    (while (not (funcall predicate))
      (when (> (float-time) deadline)
        (mlroast-test-fail "no %s within %.0f s" what mlroast-test-timeout))
      (accept-process-output nil 0.05))))

(defun mlroast-test-cli-findings (file)
  "Sorted \"CODE row:col-row:col\" keys of `mlroast check' on FILE."
  (with-temp-buffer
    (let ((status (call-process mlroast-test-binary nil t nil "check" "--output-format" "json" file)))
      (unless (eql status 1)
        (mlroast-test-fail "mlroast check exited %s (expected 1): %s" status (buffer-string))))
    (sort (mapcar (lambda (f)
                    (let ((start (gethash "location" f)) (end (gethash "end_location" f)))
                      (format "%s %d:%d-%d:%d" (gethash "code" f)
                              (gethash "row" start) (gethash "column" start)
                              (gethash "row" end) (gethash "column" end))))
                  (json-parse-string (buffer-string)))
          #'string<)))

(defun mlroast-test-key (diag)
  "\"CODE row:col-row:col\" of a flymake DIAG (1-based, as the CLI)."
  (let* ((spec (alist-get 'eglot-lsp-diag (flymake-diagnostic-data diag)))
         (pos (lambda (p) (save-excursion
                            (goto-char p)
                            (format "%d:%d" (line-number-at-pos) (1+ (current-column)))))))
    (format "%s %s-%s" (plist-get spec :code)
            (funcall pos (flymake-diagnostic-beg diag)) (funcall pos (flymake-diagnostic-end diag)))))

(defun mlroast-test-main ()
  (require 'eglot)
  (load (expand-file-name "editors/emacs/mlroast.el" mlroast-test-source) nil t)
  (unless (eq (cdr (assoc '(python-mode python-ts-mode) eglot-server-programs)) 'mlroast-eglot-contact)
    (mlroast-test-fail "mlroast.el did not register mlroast in eglot-server-programs"))
  (unless (commandp 'mlroast-review-workspace)
    (mlroast-test-fail "mlroast-review-workspace is not a command"))
  (setq mlroast-executable mlroast-test-binary)
  (let* ((root (file-name-as-directory (make-temp-file "mlroast-emacs-" t)))
         (file (expand-file-name mlroast-test-file root)))
    (copy-directory (expand-file-name "examples/churn-project" mlroast-test-source) root nil nil t)
    (make-directory (expand-file-name ".git" root))   ; the project root eglot must find
    (unwind-protect
        (with-current-buffer (find-file-noselect file)
          (unless (derived-mode-p 'python-mode)
            (mlroast-test-fail "%s opened in %s, not python-mode" mlroast-test-file major-mode))
          (apply #'eglot (eglot--guess-contact))
          (mlroast-test-wait "eglot connection to mlroast"
                             (lambda () (eglot-current-server)))
          (let ((server (eglot-current-server)))
            (unless (equal (plist-get (eglot--server-info server) :name) "mlroast")
              (mlroast-test-fail "eglot connected to %S, not mlroast" (eglot--server-info server)))
            (unless (file-equal-p (project-root (eglot--project server)) root)
              (mlroast-test-fail "project root %s, expected %s" (project-root (eglot--project server)) root)))
          ;; Flymake defers its first check to the first command in a displayed window; batch
          ;; Emacs has no command loop, so start it here as that first command would.
          (unless (bound-and-true-p flymake-mode)
            (mlroast-test-fail "eglot did not turn on flymake-mode"))
          (flymake-start)
          (cl-flet ((ours () (cl-remove-if-not
                              (lambda (d) (string-prefix-p "mlroast [" (flymake-diagnostic-text d)))
                              (flymake-diagnostics))))
            (mlroast-test-wait (format "flymake diagnostics from mlroast for %s" mlroast-test-file)
                               (lambda () (ours)))
            (let ((got (sort (mapcar #'mlroast-test-key (ours)) #'string<))
                  (want (mlroast-test-cli-findings file)))
              (dolist (code '("ML101" "ML102" "ML103" "ML107" "ML703"))
                (unless (cl-some (lambda (k) (string-prefix-p (concat code " ") k)) got)
                  (mlroast-test-fail "%s missing from flymake's diagnostics: %S" code got)))
              (unless (equal got want)
                (mlroast-test-fail "flymake diagnostics differ from mlroast check:\n  emacs: %S\n  cli:   %S"
                                   got want))
              (princ (format "emacs %s, eglot %s: %d mlroast diagnostics in flymake for %s, identical to mlroast check\n"
                             emacs-version (package-version-join (package-desc-version (cadr (assq 'eglot package-alist))))
                             (length got) mlroast-test-file))))
          (let ((eglot-autoreconnect nil)) (eglot-shutdown (eglot-current-server))))
      (delete-directory root t))))

(condition-case err
    (mlroast-test-main)
  (error (mlroast-test-fail "%s" (error-message-string err))))
(kill-emacs 0)
;;; emacs_test.el ends here
