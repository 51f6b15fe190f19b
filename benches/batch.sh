#!/usr/bin/env bash
# Batch benchmark (issue: parallel streaming batch): `notelint check --format jsonl` on a synthetic
# export of at least 1 GB with every rule on (copy-forward too), three ways:
#   core1: `taskset -c 0 notelint -j 1`: all of notelint (reading included) on one core;
#   j1:    `notelint -j 1`: one lint thread, but the reading thread may use the other core;
#   j2:    `notelint -j 2`: two lint threads on both cores.
# Prints wall time, notes/s, MB/s and peak RSS per run, the speed-ups of j2 over core1 (the
# target: one core against two) and over j1, and the targets (speed-up >= 1.7, peak RSS <= 512 MiB).
#
#   benches/batch.sh          # about 8 minutes on 2 cores, plus the data the first time
#
# The export is benches/gen_visits.py with NOTES notes (default 1,300,000, about 1.0 GB; see
# benches/COPYFORWARD.md for what the notes look like), written to target/bench-data/ and reused
# when it was made by the same generator with the same arguments. Every figure is a
# `name: value` line on stdout; progress goes to stderr. Run it on a quiet machine.
#
# Environment: NOTES (1300000), SEED (5), RUNS (1: runs per thread count, the fastest is kept).
set -euo pipefail
cd "$(dirname "$0")/.."

DATA=target/bench-data
BIN=target/release/notelint
NOTES=${NOTES:-1300000}
SEED=${SEED:-5}
RUNS=${RUNS:-1}
EXPORT=$DATA/visits-batch-$NOTES.jsonl
META=$DATA/visits-batch-$NOTES.meta

log() { echo "# $*" >&2; }
calc() { awk "BEGIN { printf \"%.$1f\", $2 }"; }

mkdir -p "$DATA"
log "building: cargo build --release --locked"
cargo build --release --locked --quiet
cp "$BIN" "$DATA/notelint-batch"
BIN=$DATA/notelint-batch

GEN_ID="gen=$(sha256sum benches/gen_visits.py | cut -c1-16) notes=$NOTES clones=0.1 seed=$SEED"
if [[ ! -f $EXPORT || ! -f $META || $(cat "$META") != "$GEN_ID" ]]; then
    log "writing $EXPORT ($NOTES notes; a few minutes)"
    python3 benches/gen_visits.py --notes "$NOTES" --clones 0.1 --seed "$SEED" --out "$EXPORT" \
        --truth "$DATA/visits-batch-$NOTES.truth.jsonl"
    echo "$GEN_ID" > "$META"
fi
BYTES=$(stat -c %s "$EXPORT")
echo "export_notes: $NOTES"
echo "export_bytes: $BYTES"
echo "export_mb: $(calc 1 "$BYTES / 1e6")"

declare -A WALL RSS
for mode in core1 j1 j2; do
    case $mode in
        core1) threads=1; pin=(taskset -c 0) ;;
        j1) threads=1; pin=() ;;
        j2) threads=2; pin=() ;;
    esac
    if [[ $mode == core1 ]] && ! command -v taskset > /dev/null; then
        log "taskset not found: skipping the one-core run"
        continue
    fi
    best=""
    for ((r = 1; r <= RUNS; r++)); do
        log "run: ${pin[*]} notelint check --no-config --format jsonl -j $threads (run $r of $RUNS)"
        /usr/bin/time -v -o "$DATA/time-batch-$mode.txt" \
            "${pin[@]}" "$BIN" check --no-config --format jsonl -j "$threads" "$EXPORT" > "$DATA/out-batch-$mode.jsonl" \
            2> "$DATA/out-batch-$mode.err" || [[ $? == 1 ]]
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$DATA/time-batch-$mode.txt")
        rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$DATA/time-batch-$mode.txt")
        if [[ -z $best ]] || awk "BEGIN { exit !($wall < $best) }"; then
            best=$wall
            WALL[$mode]=$wall
            RSS[$mode]=$rss
        fi
    done
    lines=$(wc -l < "$DATA/out-batch-$mode.jsonl")
    echo "${mode}_wall_s: ${WALL[$mode]}"
    echo "${mode}_notes_out: $lines"
    echo "${mode}_notes_per_s: $(calc 0 "$NOTES / ${WALL[$mode]}")"
    echo "${mode}_file_mb_per_s: $(calc 1 "$BYTES / 1e6 / ${WALL[$mode]}")"
    echo "${mode}_peak_rss_mib: ${RSS[$mode]}"
done
if cmp -s "$DATA/out-batch-j1.jsonl" "$DATA/out-batch-j2.jsonl"; then
    echo "same_output_1_and_2_threads: yes"
else
    echo "same_output_1_and_2_threads: NO"
fi
base=${WALL[core1]:-${WALL[j1]}}
speedup=$(calc 2 "$base / ${WALL[j2]}")
echo "speedup_2_threads_over_one_core: $speedup"
echo "speedup_2_threads_over_j1: $(calc 2 "${WALL[j1]} / ${WALL[j2]}")"
max_rss=0
for mode in "${!RSS[@]}"; do
    max_rss=$(awk "BEGIN { print (${RSS[$mode]} > $max_rss) ? ${RSS[$mode]} : $max_rss }")
done
echo "target_speedup_1.7: $(awk "BEGIN { print ($speedup >= 1.7) ? \"met\" : \"NOT met\" }")"
echo "target_peak_rss_512mib: $(awk "BEGIN { print ($max_rss <= 512) ? \"met\" : \"NOT met\" }")"
