" Vim syntax file for msgsim scenarios (*.scn).
" Install: copy to ~/.vim/syntax/scn.vim and add to your vimrc
"   au BufRead,BufNewFile *.scn set filetype=scn
" (make install puts it in $(PREFIX)/share/vim/vimfiles/syntax with that rule in ftdetect).
if exists("b:current_syntax")
  finish
endif

syn keyword scnDecl scheduler cost direct sysctl mailbox port sysv posix queue file user
syn keyword scnDecl process expect param include
syn keyword scnControl repeat loop break if else assert as let
syn keyword scnCall send receive compute sleep print exit msgget msgsnd msgrcv msgctl
syn keyword scnCall kill on ipcs mq_open mq_send mq_receive mq_getattr mq_setattr
syn keyword scnCall mq_notify mq_close mq_unlink pipe close read write fcntl ioctl
syn keyword scnCall fork wait mkfifo open unlink dup dup2 dup3
syn keyword scnCall semget semop semctl shmget shmat shmdt shmctl shmwrite shmread store load ipcrm
syn keyword scnExpect received deadlock no time before then count question signal
syn keyword scnExpect delivered handled state killed ok blocked random
syn keyword scnFlag nowait nonblock create excl except noerror rdonly wronly rdwr racy
syn keyword scnFlag cloexec direct private unbounded any system eof handler ignore default
syn match scnErrno "\<E[A-Z0-9]\+\>"
syn match scnSignal "\<SIG[A-Z0-9]\+\>"
syn match scnNumber "\<\d\+\(ns\|us\|ms\|s\)\=\>"
syn match scnNumber "\<0x\x\+\>"
syn match scnLabel "@\h\w*"
syn match scnOption "\<\h\w*="me=e-1
syn region scnExpr matchgroup=scnDelim start="\${" end="}" contained contains=scnNumber
syn match scnVar "\$\(\$\|\h\w*\(\.\(type\|prio\|len\|sender\|from\)\)\=\)" contained
" print "FORMAT", ARG...: the printf conversions.
syn match scnFormat "%[-0+ #]*\d*\(\.\d\+\)\=\(hh\|h\|ll\|l\|z\|j\)\=[diuxXocs%]" contained
syn region scnString start=+"+ skip=+\\\\\|\\"+ end=+"+ contains=scnVar,scnExpr,scnFormat
syn region scnExpr matchgroup=scnDelim start="\${" end="}" contains=scnNumber
syn match scnComment "#.*$"

hi def link scnDecl Statement
hi def link scnControl Conditional
hi def link scnCall Function
hi def link scnExpect Keyword
hi def link scnFlag Constant
hi def link scnErrno Constant
hi def link scnSignal Constant
hi def link scnNumber Number
hi def link scnLabel Label
hi def link scnOption Identifier
hi def link scnString String
hi def link scnVar Special
hi def link scnFormat Special
hi def link scnExpr Special
hi def link scnDelim Delimiter
hi def link scnComment Comment

let b:current_syntax = "scn"
