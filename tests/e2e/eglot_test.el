;;; eglot_test.el --- Emacs + eglot end to end against `comity lsp'  -*- lexical-binding: t -*-

;; Run from the repository root:
;;
;;   COMITY_BIN=target/debug/comity timeout 60 emacs -Q --batch -l tests/e2e/eglot_test.el
;;
;; Opens a copy of the Chinese procurement contract, waits for Flymake
;; diagnostics from eglot, and checks that a T13 finding covers 华为 and
;; that hover on it cites the law.  Exits 0 when every check passes, 1
;; otherwise.

;;; Code:

(setq debug-on-error nil)
(set-language-environment "UTF-8")
(prefer-coding-system 'utf-8)

;; Debian's elpa-eglot (and its newer project/xref) live outside load-path
;; under -Q; Emacs 29+ has eglot built in.
(dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
  (when (file-directory-p dir)
    (add-to-list 'load-path dir)))
(require 'eglot)
(require 'flymake)

(defvar comity-test-root
  (file-name-directory
   (directory-file-name
    (file-name-directory
     (directory-file-name
      (file-name-directory (or load-file-name buffer-file-name)))))))

(defun comity-test-log (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun comity-test-fail (fmt &rest args)
  (signal 'error (list (apply #'format fmt args))))

(define-derived-mode contract-mode text-mode "Contract"
  "Major mode for contract drafts checked by Comity.")
(add-to-list 'auto-mode-alist '("\\.contract\\'" . contract-mode))

(defun comity-test-wait (pred seconds)
  "Run Flymake and process output until PRED is non-nil or SECONDS pass."
  (let ((deadline (+ (float-time) seconds))
        result)
    (while (and (not (setq result (funcall pred)))
                (< (float-time) deadline))
      (when (bound-and-true-p flymake-mode)
        (flymake-start))
      (accept-process-output nil 0.05))
    result))

(defun comity-test-region (d)
  (buffer-substring-no-properties (flymake-diagnostic-beg d) (flymake-diagnostic-end d)))

(defun comity-test-run ()
  (let* ((bin (getenv "COMITY_BIN"))
         (fixture (expand-file-name "tests/fixtures/zh-procurement-contract.md"
                                    comity-test-root))
         (dir (make-temp-file "comity-eglot" t))
         (path (expand-file-name "zh-procurement-contract.md" dir)))
    (unless (and bin (file-executable-p bin))
      (comity-test-fail "COMITY_BIN is not set or not executable: %S" bin))
    (comity-test-log "emacs %s, eglot from %s" emacs-version
                     (file-name-directory (locate-library "eglot")))
    (copy-file fixture path t)
    (add-to-list 'eglot-server-programs
                 `(contract-mode . (,(expand-file-name bin) "lsp")))
    ;; The copy's directory is the project; otherwise eglot would ask.
    (add-hook 'project-find-functions (lambda (d) (cons 'transient dir)))
    (unwind-protect
        (progn
          (find-file path)
          (contract-mode)
          ;; `eglot-ensure' waits for a command loop that batch mode lacks.
          (apply #'eglot (eglot--guess-contact))
          (unless (eglot-current-server)
            (comity-test-fail "eglot did not connect"))
          (let* ((hit
                  (comity-test-wait
                   (lambda ()
                     (seq-find
                      (lambda (d)
                        (and (string-match-p "华为" (comity-test-region d))
                             (string-match-p "T13\\|第十二条"
                                             (flymake-diagnostic-text d))))
                      (flymake-diagnostics)))
                   20))
                 (all (flymake-diagnostics)))
            (comity-test-log "%d flymake diagnostics:" (length all))
            (dolist (d (sort all (lambda (a b) (< (flymake-diagnostic-beg a)
                                                  (flymake-diagnostic-beg b)))))
              (comity-test-log "  %d:%d %s %s | %s"
                               (line-number-at-pos (flymake-diagnostic-beg d))
                               (save-excursion
                                 (goto-char (flymake-diagnostic-beg d))
                                 (current-column))
                               (flymake-diagnostic-type d)
                               (car (split-string (flymake-diagnostic-text d) "\n"))
                               (comity-test-region d)))
            (unless hit
              (comity-test-fail "no T13 diagnostic covering 华为"))
            (comity-test-log "T13 covers: %s" (comity-test-region hit))
            ;; Hover at the finding: eglot converts point to a UTF-16 column.
            (goto-char (flymake-diagnostic-beg hit))
            (let* ((result (jsonrpc-request (eglot-current-server) :textDocument/hover
                                            (eglot--TextDocumentPositionParams)))
                   (contents (plist-get result :contents))
                   (value (if (stringp contents) contents (plist-get contents :value))))
              (unless (and (stringp value) (string-match-p "第十二条" value))
                (comity-test-fail "hover does not cite 第十二条: %S" result))
              (comity-test-log "hover: %s" (car (split-string value "\n"))))))
      (ignore-errors
        (let ((server (eglot-current-server)))
          (when server (eglot-shutdown server))))
      (ignore-errors (delete-directory dir t)))))

(condition-case err
    (progn
      (comity-test-run)
      (comity-test-log "PASS eglot e2e")
      (kill-emacs 0))
  (error
   (comity-test-log "FAIL eglot e2e: %s" (error-message-string err))
   (kill-emacs 1)))

;;; eglot_test.el ends here
