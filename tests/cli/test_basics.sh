#!/usr/bin/env bash
# Help, version, usage errors and exit codes.
. "$(dirname "$0")/lib.sh"

run --help;            expect_rc 0; expect_out "Usage: mnsim"; expect_out "check"
run help check;        expect_rc 0; expect_out "Usage: mnsim check"
run check --help;      expect_rc 0; expect_out "Usage: mnsim check"
run --version;         expect_rc 0; expect_out "mnsim 0."
run version --json;    expect_rc 0; expect_json 'd["mnsim_version"].startswith("0.")'
run;                   expect_rc 2
run frobnicate;        expect_rc 2; expect_err "no command named 'frobnicate'"
run --bogus;           expect_rc 2; expect_err "unknown option '--bogus'"
run help frobnicate;   expect_rc 2
run check;             expect_rc 2; expect_err "check needs at least one FILE"
run check --zzz x;     expect_rc 2
run --data-dir;        expect_rc 2; expect_err "--data-dir needs a directory"
run --data-dir /nonexistent devices; expect_rc 1; expect_err "device catalog"
finish
