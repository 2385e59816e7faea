# msgsim — build, check, run, bench.
#
#   make                 build ./msgsim (installs libglib2.0-dev/libcunit1-dev when missing and root)
#   make run SCENARIO=f  build, then run one scenario
#   make check           CUnit suites + golden traces + command line checks (tests/cli.sh)
#                        + the HTML report in headless Chromium (tests/browser.sh, ~30 s)
#   make check-browser   only that browser test; make reports-html: the lecture scenarios'
#                        HTML reports and screenshots under reports/html/
#   make check-asan      the same under AddressSanitizer + UBSan
#   make bench           whole-process benchmarks beside the real kernel, written to
#                        reports/bench.md (a few minutes; never part of make check)
#   make crosscheck      replay every scenario on the real kernel, written to reports/crosscheck.md
#                        (and, in the machine's own IPC namespace, reports/crosscheck-shared.md)
#   make golden-update   rewrite golden traces from the current build (review the diff!)
#   make fuzz            build the libFuzzer harness (installs clang and its runtimes when missing)
#   make fuzz FUZZ_SECONDS=N   then replay tests/fuzz/regressions and fuzz N seconds on 2 cores
#   make fuzz-merge      re-minimize tests/fuzz/corpus from every seed (see README)
#   make fuzz-cov        line coverage of the parser and engine over tests/fuzz/corpus
#   make install         the binary, man pages, scenarios and bash completion (PREFIX, DESTDIR)
#   make uninstall       removes them again

CC       ?= cc
WARN     := -std=c11 -Wall -Wextra -Wshadow -Wconversion -Wsign-conversion \
            -Wmissing-declarations -Wmissing-prototypes -Wstrict-prototypes \
            -Wformat=2 -Wundef -Wpointer-arith -Wcast-qual -Wvla -Werror
OPT      ?= -O2 -g
# Recursively expanded on purpose: pkg-config runs after the deps check has installed it.
GLIB_CFLAGS = $(shell pkg-config --cflags glib-2.0)
GLIB_LIBS   = $(shell pkg-config --libs glib-2.0) -pthread
CPPFLAGS := -Iinclude -Isim -D_POSIX_C_SOURCE=200809L -DG_LOG_DOMAIN=\"msgsim\"
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS     := $(wildcard sim/*.c sim/*/*.c)
LIBSRCS  := $(filter-out sim/main.c,$(SRCS))
TESTSRCS := $(wildcard tests/test_*.c)

B        := build
BA       := build/asan
OBJS     := $(LIBSRCS:%.c=$(B)/%.o)
AOBJS    := $(LIBSRCS:%.c=$(BA)/%.o)
TOBJS    := $(TESTSRCS:%.c=$(B)/%.o)
ATOBJS   := $(TESTSRCS:%.c=$(BA)/%.o)
DEPSOK   := $(B)/.deps-ok

.PHONY: all run check check-asan unit golden bench golden-update clean deps crosscheck \
	fuzz fuzz-merge fuzz-cov
all: msgsim

# ---- dependencies: install the development packages when they are missing ----
deps: $(DEPSOK)
$(DEPSOK):
	@./tests/ensure-deps.sh
	@mkdir -p $(B) && touch $@

# ---- build ----
$(B)/%.o: %.c | $(DEPSOK)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(OPT) $(CPPFLAGS) $(GLIB_CFLAGS) -MMD -MP -c $< -o $@

$(BA)/%.o: %.c | $(DEPSOK)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g $(SAN) -DMSGSIM_DEBUG $(CPPFLAGS) $(GLIB_CFLAGS) -MMD -MP -c $< -o $@

msgsim: $(OBJS) $(B)/sim/main.o
	$(CC) $(OPT) $^ $(GLIB_LIBS) -o $@

$(B)/msgsim-tests: $(OBJS) $(TOBJS)
	$(CC) $(OPT) $^ $(GLIB_LIBS) -lcunit -o $@

$(BA)/msgsim: $(AOBJS) $(BA)/sim/main.o
	$(CC) $(SAN) $^ $(GLIB_LIBS) -o $@

$(BA)/msgsim-tests: $(AOBJS) $(ATOBJS)
	$(CC) $(SAN) $^ $(GLIB_LIBS) -lcunit -o $@

# ---- run ----
SCENARIO ?= scenarios/textbook/p1p2p3.scn
run: msgsim
	./msgsim run $(SCENARIO)

# ---- tests ----
# Every scenario is cross-checked on the machine that runs the tests: the kernel's own
# (SysV, POSIX, pipes, the lecture's) and the textbook mailboxes that map onto POSIX queues
# must match; the rest must say why they cannot be replayed.
XCHECKED := $(wildcard scenarios/*/*.scn)

check: msgsim $(B)/msgsim-tests programs
	./$(B)/msgsim-tests
	./tests/golden.sh ./msgsim
	./tests/cli.sh ./msgsim
	./tests/exec.sh ./msgsim
	./tests/browser.sh ./msgsim
	./tests/crosscheck.sh ./msgsim $(XCHECKED)
	./tests/crosscheck.sh ./msgsim --no-namespace $(XCHECKED)
	./tests/crosscheck-free.sh ./msgsim --runs 3 --explore-time 5 $(FREE_SMALL)

# Free runs (msgsim crosscheck --free N): every scenario FREE_RUNS times for the report, and
# in make check a few small ones three times (a fork, a signal and a timeout among them).
FREE_RUNS ?= 50
FREE_SMALL := scenarios/sysv/sender-race.scn scenarios/textbook/p1p2p3.scn \
	scenarios/assignments/priorities.scn scenarios/pipes/parent-child.scn \
	scenarios/sysv/eintr.scn scenarios/posix/timeouts.scn

crosscheck: msgsim
	./tests/crosscheck.sh ./msgsim --report reports/crosscheck.md $(XCHECKED)
	./tests/crosscheck-free.sh ./msgsim --runs $(FREE_RUNS) --report reports/crosscheck.md $(XCHECKED)
	./tests/crosscheck.sh ./msgsim --report reports/crosscheck-shared.md --no-namespace $(XCHECKED)

# G_SLICE/G_DEBUG keep GLib's own caches out of the leak report.
ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            G_SLICE=always-malloc G_DEBUG=gc-friendly
check-asan: $(BA)/msgsim $(BA)/msgsim-tests
	$(ASAN_ENV) ./$(BA)/msgsim-tests
	$(ASAN_ENV) ./tests/golden.sh ./$(BA)/msgsim
	$(ASAN_ENV) ./tests/cli.sh ./$(BA)/msgsim
	$(ASAN_ENV) ./tests/crosscheck.sh ./$(BA)/msgsim $(XCHECKED)
	$(ASAN_ENV) ./tests/crosscheck.sh ./$(BA)/msgsim --no-namespace $(XCHECKED)
	$(ASAN_ENV) ./tests/crosscheck-free.sh ./$(BA)/msgsim --runs 2 --explore-time 5 $(FREE_SMALL)

golden-update: msgsim
	./tests/golden.sh ./msgsim --update

# ---- msgsim exec: the example C programs (scenarios/programs), with the project's flags.
# tests/exec.sh runs them under `msgsim exec` and compares their traces (skipped, with a
# message, where the kernel lacks seccomp user notification).
PROGRAMS := $(patsubst scenarios/programs/%.c,$(B)/programs/%,$(wildcard scenarios/programs/*.c))
$(B)/programs/%: scenarios/programs/%.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(OPT) -D_GNU_SOURCE -o $@ $<
$(B)/programs/msgsnd $(B)/programs/msgrcv: scenarios/programs/msgdata.h
programs: $(PROGRAMS)
check-exec: msgsim programs
	./tests/exec.sh ./msgsim
exec-golden-update: msgsim programs
	./tests/exec.sh ./msgsim --update
bench-exec: msgsim
	./tests/bench_exec.sh ./msgsim
.PHONY: programs check-exec exec-golden-update bench-exec

# The benchmark times whole processes as users run them (./msgsim run ...) beside the real
# kernel's producer and consumer; its two helpers are plain C, without GLib.
# Settings: the BENCH_* variables listed at the top of tests/bench.sh.
$(B)/bench-time: tests/bench_time.c | $(DEPSOK)
	$(CC) $(WARN) $(OPT) $(CPPFLAGS) $< -o $@

$(B)/bench-kernel: tests/bench_kernel.c | $(DEPSOK)
	$(CC) $(WARN) $(OPT) $(CPPFLAGS) $< -lrt -o $@

bench: msgsim $(B)/bench-time $(B)/bench-kernel
	./tests/bench.sh ./msgsim ./$(B)/bench-time ./$(B)/bench-kernel

# ---- install: the binary, the man pages, the example scenarios, a bash completion and
# the Vim syntax of .scn files ----
# make install PREFIX=/usr/local DESTDIR=/tmp/stage; make uninstall takes the same two.
PREFIX  ?= /usr/local
DESTDIR ?=
IBIN    := $(DESTDIR)$(PREFIX)/bin
IMAN    := $(DESTDIR)$(PREFIX)/share/man
IDATA   := $(DESTDIR)$(PREFIX)/share/msgsim
ICOMP   := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
IVIM    := $(DESTDIR)$(PREFIX)/share/vim/vimfiles
.PHONY: install uninstall
install: msgsim
	install -d $(IBIN) $(IMAN)/man1 $(IMAN)/man5 $(ICOMP)
	install -m 755 msgsim $(IBIN)/msgsim
	install -m 644 dist/msgsim.1 $(IMAN)/man1/msgsim.1
	install -m 644 dist/msgsim-scenario.5 $(IMAN)/man5/msgsim-scenario.5
	install -m 644 dist/msgsim.bash $(ICOMP)/msgsim
	install -d $(IVIM)/syntax $(IVIM)/ftdetect
	install -m 644 dist/scn.vim $(IVIM)/syntax/scn.vim
	install -m 644 dist/scn-ftdetect.vim $(IVIM)/ftdetect/scn.vim
	for d in $$(cd scenarios && find . -type d); do install -d $(IDATA)/scenarios/$$d; done
	for f in $$(cd scenarios && find . -type f); do \
		install -m 644 scenarios/$$f $(IDATA)/scenarios/$$f; done

uninstall:
	rm -f $(IBIN)/msgsim $(IMAN)/man1/msgsim.1 $(IMAN)/man5/msgsim-scenario.5 $(ICOMP)/msgsim
	rm -f $(IVIM)/syntax/scn.vim $(IVIM)/ftdetect/scn.vim
	rm -rf $(IDATA)

# ---- fuzzing: clang + libFuzzer, with objects of its own under build/fuzz ----
# The library is built with -fsanitize=fuzzer-no-link (coverage feedback) plus ASan/UBSan
# and the objects' invariant checks; only the harness links -fsanitize=fuzzer.
FUZZCC   ?= clang
BF       := $(B)/fuzz
BC       := $(B)/fuzz-cov
FSAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FOBJS    := $(LIBSRCS:%.c=$(BF)/%.o)
COBJS    := $(LIBSRCS:%.c=$(BC)/%.o)
FUZZOK   := $(BF)/.clang-ok
# gcc's -Werror build is the arbiter of warnings; clang's own extra ones are shown, not fatal.
FWARN    := $(filter-out -Werror,$(WARN))
FUZZ_SECONDS ?=
# Extra flags for the harness, e.g. FUZZ_CFLAGS=-DFUZZ_MAX_TIME=0 (see fuzz_scenario.c).
FUZZ_CFLAGS ?=
FUZZ_JOBS ?= 2
# Seeds for fuzz-merge: every scenario, every bad one, and the shared corpus when it is here.
FUZZ_SHARED ?= ../shared/fuzz/corpus.tgz

$(FUZZOK):
	@FUZZCC=$(FUZZCC) ./tests/fuzz/ensure-clang.sh
	@mkdir -p $(BF) && touch $@

$(BF)/%.o: %.c | $(DEPSOK) $(FUZZOK)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(FWARN) -O1 -g $(FSAN) -fsanitize=fuzzer-no-link -DMSGSIM_DEBUG $(CPPFLAGS) \
		$(GLIB_CFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(BF)/fuzz_scenario: $(FOBJS) $(BF)/tests/fuzz/fuzz_scenario.o
	$(FUZZCC) $(FSAN) -fsanitize=fuzzer $^ $(GLIB_LIBS) -o $@

fuzz: $(BF)/fuzz_scenario
ifneq ($(FUZZ_SECONDS),)
	./tests/fuzz/run.sh ./$(BF)/fuzz_scenario $(FUZZ_SECONDS) $(FUZZ_JOBS)
else
	@echo "built $(BF)/fuzz_scenario; 'make fuzz FUZZ_SECONDS=60' fuzzes for a minute"
endif

fuzz-merge: $(BF)/fuzz_scenario
	./tests/fuzz/merge.sh ./$(BF)/fuzz_scenario $(FUZZ_SHARED)

# Coverage: the same harness built with clang's source-based coverage and no sanitizers,
# run once over the committed corpus; llvm-cov reports what it reached of the parser and the
# engine (the cross-check's real-kernel side, which the harness never calls, is left out).
FUZZED   := $(filter-out sim/real/%,$(LIBSRCS))
$(BC)/%.o: %.c | $(DEPSOK) $(FUZZOK)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(FWARN) -O1 -g -fprofile-instr-generate -fcoverage-mapping \
		-fsanitize=fuzzer-no-link -DMSGSIM_DEBUG $(CPPFLAGS) $(GLIB_CFLAGS) -MMD -MP -c $< -o $@

$(BC)/fuzz_scenario: $(COBJS) $(BC)/tests/fuzz/fuzz_scenario.o
	$(FUZZCC) -fprofile-instr-generate -fsanitize=fuzzer $^ $(GLIB_LIBS) -o $@

fuzz-cov: $(BC)/fuzz_scenario
	rm -f $(BC)/*.profraw
	LLVM_PROFILE_FILE=$(BC)/run.profraw ./$(BC)/fuzz_scenario -runs=0 tests/fuzz/corpus \
		2>$(BC)/run.log
	llvm-profdata merge -sparse $(BC)/run.profraw -o $(BC)/run.profdata
	llvm-cov report ./$(BC)/fuzz_scenario -instr-profile=$(BC)/run.profdata \
		$(FUZZED) | tee $(BC)/report.txt | tail -1

# ---- the HTML report (--format html): its script and styles are files of their own under
# sim/output/html/, turned into C arrays at build time and included by html.c ----
HTML_ASSETS := sim/output/html/report.css sim/output/html/report.js
HTML_OBJS   := $(B)/sim/output/html.o $(BA)/sim/output/html.o $(BF)/sim/output/html.o \
               $(BC)/sim/output/html.o
$(B)/gen/html_assets.inc: $(HTML_ASSETS) sim/output/html/embed.sh
	@mkdir -p $(dir $@)
	sh sim/output/html/embed.sh $(HTML_ASSETS) >$@.tmp && mv $@.tmp $@
$(HTML_OBJS): $(B)/gen/html_assets.inc
$(HTML_OBJS): CPPFLAGS += -I$(B)/gen
# The outcome set page (explore --format html): its own script and styles, the same way.
OUTCOMES_ASSETS := sim/output/outcomes/outcomes.css sim/output/outcomes/outcomes.js
OUTCOMES_OBJS   := $(HTML_OBJS:html.o=outcomes.o)
$(B)/gen/outcomes_assets.inc: $(OUTCOMES_ASSETS) sim/output/html/embed.sh
	@mkdir -p $(dir $@)
	sh sim/output/html/embed.sh $(OUTCOMES_ASSETS) >$@.tmp && mv $@.tmp $@
$(OUTCOMES_OBJS): $(B)/gen/outcomes_assets.inc
$(OUTCOMES_OBJS): CPPFLAGS += -I$(B)/gen

# The report opened in headless Chromium (installed when missing, as root): lanes, arrows,
# the deadlock graph, no script errors; screenshots under reports/. Part of make check too.
.PHONY: check-browser
check-browser: msgsim
	./tests/browser.sh ./msgsim

# The lecture scenarios' HTML reports and screenshots, committed under reports/html/.
.PHONY: reports-html
reports-html: msgsim
	./tests/render-reports.sh ./msgsim

clean:
	rm -rf $(B) msgsim

-include $(OBJS:.o=.d) $(AOBJS:.o=.d) $(TOBJS:.o=.d) $(ATOBJS:.o=.d) $(B)/sim/main.d $(BA)/sim/main.d
-include $(FOBJS:.o=.d) $(COBJS:.o=.d) $(BF)/tests/fuzz/fuzz_scenario.d $(BC)/tests/fuzz/fuzz_scenario.d
