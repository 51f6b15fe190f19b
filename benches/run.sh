#!/usr/bin/env bash
# End-to-end benchmark of the real notelint binary, then the medspaCy peer on the same notes.
#
#   benches/run.sh                 # from anywhere; about 1-2 minutes on 2 cores
#
# 1. cargo build --release --locked
# 2. data: `cargo bench --bench throughput -- --generate-only` builds (or reuses)
#    target/bench-data/export.jsonl (>= 100 MiB of replicated corpus notes), export.meta (its note
#    and byte counts) and note-2k.txt (the ~2 KB note of the latency figures); nothing else runs.
# 3. `notelint check --no-config --format jsonl export.jsonl > /dev/null` as a user runs it (all
#    cores, every rule): wall time, peak RSS, notes/s, MB/s of note text and of file bytes; then the
#    single-thread figure: `taskset -c 0 ... --ignore F -j 1` (one lint thread, reader on the same
#    core, copy-forward off);
# 4. one note on standard input, a whole process per run, STDIN_RUNS times: median and max;
# 5. if PEER_PY exists: a SLICE_BYTES slice of the export (whole lines), notelint on it, then
#    `medspacy_peer.py SLICE --fast-sentences`, and the ratio of the two MB/s figures.
#
# Every figure is printed as a `name: value unit` line on stdout (MB = 10^6 bytes); progress
# goes to stderr. Environment: PEER_PY (default ../peers-venv/bin/python), STDIN_RUNS (50),
# SLICE_BYTES (10000000).
set -euo pipefail
cd "$(dirname "$0")/.."

DATA=target/bench-data
BIN=target/release/notelint
EXPORT=$DATA/export.jsonl
NOTE=$DATA/note-2k.txt
SLICE=$DATA/slice-10mb.jsonl
PEER_PY=${PEER_PY:-../peers-venv/bin/python}
PEER=../shared/peers/medspacy_peer.py
STDIN_RUNS=${STDIN_RUNS:-50}
SLICE_BYTES=${SLICE_BYTES:-10000000}

log() { echo "# $*" >&2; }
# Nanoseconds since the epoch.
now_ns() { date +%s%N; }
# awk arithmetic with a fixed number of decimals: calc DECIMALS EXPR
calc() { awk "BEGIN { printf \"%.$1f\", $2 }"; }
# One value from a key=value file: meta FILE KEY
meta() { sed -n "s/^$2=//p" "$1"; }

# Run notelint check on a JSON Lines file, with any extra arguments after it, under $PIN (a
# command prefix such as `taskset -c 0`, or empty); sets WALL_S and PEAK_KB. Exit 1 (findings) is
# fine.
PIN=()
check_file() {
    local file=$1 rc=0 t0 t1 rss=$DATA/time.txt
    shift
    rm -f "$rss"
    t0=$(now_ns)
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f '%M' -o "$rss" "${PIN[@]}" "$BIN" check --no-config --format jsonl "$@" "$file" >/dev/null 2>"$DATA/check.err" || rc=$?
    else
        "${PIN[@]}" "$BIN" check --no-config --format jsonl "$@" "$file" >/dev/null 2>"$DATA/check.err" || rc=$?
    fi
    t1=$(now_ns)
    if ((rc > 1)); then
        echo "notelint check $file exited $rc:" >&2
        head -20 "$DATA/check.err" >&2
        exit 1
    fi
    WALL_S=$(calc 3 "($t1 - $t0) / 1e9")
    PEAK_KB=$( [[ -s $rss ]] && tail -1 "$rss" || echo "")
}

log "building: cargo build --release --locked"
cargo build --release --locked --quiet
log "data: cargo bench --bench throughput -- --generate-only"
cargo bench --quiet --bench throughput -- --generate-only >&2

NOTES=$(meta "$DATA/export.meta" notes)
TEXT_BYTES=$(meta "$DATA/export.meta" text_bytes)
FILE_BYTES=$(meta "$DATA/export.meta" file_bytes)
[[ $(stat -c %s "$EXPORT") == "$FILE_BYTES" ]] || { echo "export.meta does not match $EXPORT" >&2; exit 1; }

echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cores: $(nproc)"
echo "export_notes: $NOTES notes"
echo "export_file_size: $(calc 1 "$FILE_BYTES / 1e6") MB"
echo "export_text_size: $(calc 1 "$TEXT_BYTES / 1e6") MB"

log "end to end: $BIN check --no-config --format jsonl $EXPORT > /dev/null"
cat "$EXPORT" >/dev/null # warm the page cache so the disk is not measured
check_file "$EXPORT"
E2E_TEXT_MBPS=$(calc 2 "$TEXT_BYTES / 1e6 / $WALL_S")
echo "e2e_wall_time: $WALL_S s"
if [[ -n $PEAK_KB ]]; then echo "e2e_peak_rss: $(calc 1 "$PEAK_KB / 1024") MiB"; fi
echo "e2e_notes_per_s: $(calc 0 "$NOTES / $WALL_S") notes/s"
echo "e2e_text_throughput: $E2E_TEXT_MBPS MB/s"
echo "e2e_file_throughput: $(calc 2 "$FILE_BYTES / 1e6 / $WALL_S") MB/s"

# The issue's single-thread figure: one lint thread, pinned with the reader to one core, the
# document rules (copy-forward off: this export repeats every note ~670 times under other patients,
# the worst case for F403, which benches/copyforward.sh measures on realistic visit series).
if command -v taskset >/dev/null; then PIN=(taskset -c 0); fi
log "single thread: ${PIN[*]} $BIN check --no-config --format jsonl --ignore F -j 1 $EXPORT > /dev/null"
check_file "$EXPORT" --ignore F -j 1
PIN=()
E1_TEXT_MBPS=$(calc 2 "$TEXT_BYTES / 1e6 / $WALL_S")
echo "single_thread_wall_time: $WALL_S s"
if [[ -n $PEAK_KB ]]; then echo "single_thread_peak_rss: $(calc 1 "$PEAK_KB / 1024") MiB"; fi
echo "single_thread_notes_per_s: $(calc 0 "$NOTES / $WALL_S") notes/s"
echo "single_thread_text_throughput: $E1_TEXT_MBPS MB/s"
echo "target_single_thread_text_ge_20_mb_s: $(awk "BEGIN { print ($E1_TEXT_MBPS >= 20) ? \"met\" : \"NOT met\" }")"

log "one note on stdin, $STDIN_RUNS runs: $BIN check --no-config --format jsonl - < $NOTE"
for _ in 1 2 3; do "$BIN" check --no-config --format jsonl - <"$NOTE" >/dev/null 2>&1 || true; done
times=()
for ((i = 0; i < STDIN_RUNS; i++)); do
    t0=$(now_ns)
    rc=0
    "$BIN" check --no-config --format jsonl - <"$NOTE" >/dev/null 2>&1 || rc=$?
    t1=$(now_ns)
    ((rc <= 1)) || { echo "notelint check - exited $rc" >&2; exit 1; }
    times+=("$((t1 - t0))")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
STDIN_MEDIAN_MS=$(echo "$sorted" | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.2f", m / 1e6 }')
STDIN_MAX_MS=$(echo "$sorted" | tail -1 | awk '{ printf "%.2f", $1 / 1e6 }')
echo "stdin_note_size: $(stat -c %s "$NOTE") bytes"
echo "stdin_runs: $STDIN_RUNS"
echo "stdin_wall_median: $STDIN_MEDIAN_MS ms"
echo "stdin_wall_max: $STDIN_MAX_MS ms"
echo "target_stdin_median_le_20_ms: $(awk "BEGIN { print ($STDIN_MEDIAN_MS <= 20) ? \"met\" : \"NOT met\" }")"

if [[ ! -x $PEER_PY ]]; then
    log "no $PEER_PY: skipping the medspaCy peer"
    exit 0
fi
# Whole lines from the start of the export, up to SLICE_BYTES (the export repeats the corpus in
# order, so the slice has the same mix of notes).
LC_ALL=C awk -v max="$SLICE_BYTES" '{ n += length($0) + 1; if (n > max) exit; print }' "$EXPORT" >"$SLICE"
SLICE_NOTES=$(wc -l <"$SLICE")
SLICE_TEXT_BYTES=$("$PEER_PY" -c 'import json, sys; print(sum(len(json.loads(l)["text"].encode()) for l in open(sys.argv[1], encoding="utf-8") if l.strip()))' "$SLICE")
echo "slice_notes: $SLICE_NOTES notes"
echo "slice_file_size: $(calc 1 "$(stat -c %s "$SLICE") / 1e6") MB"
echo "slice_text_size: $(calc 1 "$SLICE_TEXT_BYTES / 1e6") MB"

log "notelint on the slice"
check_file "$SLICE"
SLICE_MBPS=$(calc 2 "$SLICE_TEXT_BYTES / 1e6 / $WALL_S")
echo "slice_notelint_wall_time: $WALL_S s"
echo "slice_notelint_text_throughput: $SLICE_MBPS MB/s"

log "peer: $PEER_PY $PEER $SLICE --fast-sentences"
PEER_OUT=$("$PEER_PY" "$PEER" "$SLICE" --fast-sentences 2>"$DATA/peer.err" | grep -E '^medspacy' | tail -1) || {
    echo "medspaCy peer failed:" >&2
    tail -20 "$DATA/peer.err" >&2
    exit 1
}
log "$PEER_OUT"
field() { echo "$PEER_OUT" | sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }
PEER_MBPS=$(field mb_per_s)
echo "medspacy_fast_notes: $(field notes) notes"
echo "medspacy_fast_seconds: $(field seconds) s (pipeline only, model load excluded)"
echo "medspacy_fast_notes_per_s: $(field notes_per_s) notes/s"
echo "medspacy_fast_text_throughput: $PEER_MBPS MB/s"
echo "ratio_notelint_e2e_vs_medspacy: $(calc 1 "$E2E_TEXT_MBPS / $PEER_MBPS") x (notelint e2e text MB/s on the full export / medspaCy)"
echo "ratio_notelint_single_thread_vs_medspacy: $(calc 1 "$E1_TEXT_MBPS / $PEER_MBPS") x (notelint on one core, copy-forward off, full export / medspaCy, one core too)"
echo "ratio_notelint_slice_vs_medspacy: $(calc 1 "$SLICE_MBPS / $PEER_MBPS") x (same 10 MB slice, notelint whole process)"
