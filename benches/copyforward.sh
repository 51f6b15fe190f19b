#!/usr/bin/env bash
# Copy-forward (F4xx) benchmark: notelint on synthetic visit series of 100k, 300k and 1M notes,
# recall and precision of F401 on the planted clones, and the datasketch and bloatectomy peers on
# the 100k export. See benches/COPYFORWARD.md.
#
#   benches/copyforward.sh            # from anywhere; about 10-15 minutes on 2 cores
#
# 1. cargo build --release --locked
# 2. data (skipped when present and made by the same generator with the same arguments):
#    target/bench-data/visits-{100k,300k,1m}.jsonl and .truth.jsonl from benches/gen_visits.py
#    (notes/10 patients, 4-16 monthly visits each, CLONES of the notes planted clones, SEED);
# 3. per size: `/usr/bin/time -v notelint check --no-config --select F --format jsonl EXPORT > OUT`
#    (exit 1 = findings, normal), RUNS times where cheap (a repeat only when a run took less than
#    REPEAT_UNDER_S): the fastest wall time, notes/s and its peak RSS; then the F401 score of OUT
#    (benches/copyforward/score.py);
# 4. right after notelint on the 100k export: the bloatectomy peer (RUNS times) and the datasketch
#    peer (DS_RUNS times) under /usr/bin/time -v, and datasketch's recall through
#    benches/copyforward/datasketch_recall.py (the peer's own pipeline, recording its pairs);
# 5. ratios and the issue's targets.
#
# Every figure is a `name: value` line on stdout; progress goes to stderr. A notelint run is
# stopped after TIMEOUT_S seconds and runs under an address-space limit of MEM_LIMIT_GIB GiB (0: no
# limit); such a failure is reported and the script goes on with the other sizes.
#
# Environment: ALLOW_STALE_BINARY (0; 1: if the build fails, measure the existing binary), SIZES (default "100000 300000 1000000"), CLONES (0.1), SEED (1), RUNS (2),
# REPEAT_UNDER_S (240), DS_RUNS (1), DS_RECALL (1), TIMEOUT_S (600), MEM_LIMIT_GIB (16),
# PEER_PY (../peers-venv/bin/python), PEERS (../shared/peers).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DATA=target/bench-data
BIN=target/release/notelint
SIZES=${SIZES:-100000 300000 1000000}
CLONES=${CLONES:-0.1}
SEED=${SEED:-1}
RUNS=${RUNS:-2}
REPEAT_UNDER_S=${REPEAT_UNDER_S:-240}
DS_RUNS=${DS_RUNS:-1}
DS_RECALL=${DS_RECALL:-1}
TIMEOUT_S=${TIMEOUT_S:-600}
MEM_LIMIT_GIB=${MEM_LIMIT_GIB:-16}
PEER_PY=${PEER_PY:-$ROOT/../peers-venv/bin/python}
PEERS=${PEERS:-$ROOT/../shared/peers}
GEN=benches/gen_visits.py
SCORE=benches/copyforward/score.py
DS_RECALL_PY=benches/copyforward/datasketch_recall.py

log() { echo "# $*" >&2; }
now_ns() { date +%s%N; }
calc() { awk "BEGIN { printf \"%.$1f\", $2 }"; }
# 100000 -> 100k, 1000000 -> 1m
label() { awk -v n="$1" 'BEGIN { if (n % 1000000 == 0) print n / 1000000 "m"; else if (n % 1000 == 0) print n / 1000 "k"; else print n }'; }
# Peak RSS in MiB from a /usr/bin/time -v report.
peak_mib() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }

mkdir -p "$DATA"
log "building: cargo build --release --locked"
BUILD=ok
if ! cargo build --release --locked --quiet; then
    # Another session may be editing the tree: ALLOW_STALE_BINARY=1 measures the last good build.
    [[ ${ALLOW_STALE_BINARY:-0} == 1 && -x $BIN ]] || exit 1
    BUILD="FAILED: measured the existing $BIN"
    log "build failed; ALLOW_STALE_BINARY=1: measuring the existing $BIN"
fi
# Every run uses this copy, so a rebuild by someone else during the benchmark changes nothing.
BIN_BUILT=$(date -u -r "$BIN" +%Y-%m-%dT%H:%M:%SZ)
cp "$BIN" "$DATA/notelint-bench"
BIN=$DATA/notelint-bench

# ---------------------------------------------------------------- data
gen_stamp() { echo "gen=$(sha256sum "$GEN" | cut -c1-16) notes=$1 clones=$CLONES seed=$SEED"; }
for n in $SIZES; do
    l=$(label "$n")
    export_file=$DATA/visits-$l.jsonl
    truth=$DATA/visits-$l.truth.jsonl
    stamp=$DATA/visits-$l.meta
    if [[ -s $export_file && -s $truth && -s $stamp && $(cat "$stamp") == "$(gen_stamp "$n")" ]]; then
        log "data: $export_file present"
        continue
    fi
    log "data: generating $export_file ($n notes)"
    rm -f "$stamp"
    t0=$(now_ns)
    python3 "$GEN" --notes "$n" --clones "$CLONES" --seed "$SEED" \
        --out "$export_file.tmp" --truth "$truth.tmp" 2>"$DATA/gen-$l.err" || {
        tail -5 "$DATA/gen-$l.err" >&2
        exit 1
    }
    mv "$export_file.tmp" "$export_file"
    mv "$truth.tmp" "$truth"
    gen_stamp "$n" >"$stamp"
    log "$(tail -1 "$DATA/gen-$l.err") (wall $(calc 1 "($(now_ns) - $t0) / 1e9") s)"
done

echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cores: $(nproc)"
echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
# The working tree may change while this runs: say which binary was measured.
echo "build: $BUILD"
echo "binary: target/release/notelint sha256 $(sha256sum "$BIN" | cut -c1-16), built $BIN_BUILT"

# ---------------------------------------------------------------- notelint
# One notelint run on EXPORT, writing OUT; sets RUN_RC, RUN_WALL_S, RUN_PEAK_MIB.
run_notelint() {
    local export_file=$1 out=$2 tv=$3 t0 t1
    RUN_RC=0
    t0=$(now_ns)
    (
        if ((MEM_LIMIT_GIB > 0)); then ulimit -v $((MEM_LIMIT_GIB * 1024 * 1024)); fi
        exec /usr/bin/time -v -o "$tv" timeout "$TIMEOUT_S" \
            "$BIN" check --no-config --select F --format jsonl "$export_file"
    ) >"$out" 2>"$out.err" || RUN_RC=$?
    t1=$(now_ns)
    RUN_WALL_S=$(calc 3 "($t1 - $t0) / 1e9")
    RUN_PEAK_MIB=$(peak_mib "$tv")
}

declare -A WALL NPS RSS RECALL
for n in $SIZES; do
    l=$(label "$n")
    export_file=$DATA/visits-$l.jsonl
    out=$DATA/out-$l.jsonl
    cat "$export_file" >/dev/null # page cache: do not measure the disk
    echo "export_${l}_notes: $n"
    echo "export_${l}_patients: $(calc 0 "$n / 10")"
    echo "export_${l}_file_mb: $(calc 1 "$(stat -c %s "$export_file") / 1e6")"
    best="" best_rss="" status=ok
    for ((run = 1; run <= RUNS; run++)); do
        log "notelint $l run $run: $BIN check --no-config --select F --format jsonl $export_file > $out"
        run_notelint "$export_file" "$out" "$DATA/time-notelint-$l.txt"
        log "  rc=$RUN_RC wall=${RUN_WALL_S}s peak=${RUN_PEAK_MIB}MiB"
        if ((RUN_RC > 1)); then
            if ((RUN_RC == 124)); then
                status="timed out after $TIMEOUT_S s (stopped)"
            else
                status="failed with exit $RUN_RC: $(grep -v '^\s*$' "$out.err" | grep -iv 'Command exited\|Command terminated' | tail -2 | tr '\n' ' ')"
            fi
            echo "notelint_${l}_status: $status"
            echo "notelint_${l}_wall_s_at_stop: $RUN_WALL_S"
            [[ -n $RUN_PEAK_MIB ]] && echo "notelint_${l}_peak_rss_mib_at_stop: $RUN_PEAK_MIB"
            break
        fi
        if [[ -z $best ]] || awk "BEGIN { exit !($RUN_WALL_S < $best) }"; then
            best=$RUN_WALL_S
            best_rss=$RUN_PEAK_MIB
        fi
        awk "BEGIN { exit !($RUN_WALL_S < $REPEAT_UNDER_S) }" || break
    done
    if [[ $status == ok ]]; then
        WALL[$l]=$best
        NPS[$l]=$(calc 0 "$n / $best")
        echo "notelint_${l}_status: ok"
        echo "notelint_${l}_wall_s: $best"
        echo "notelint_${l}_notes_per_s: ${NPS[$l]}"
        echo "notelint_${l}_peak_rss_mib: $best_rss"
        RSS[$l]=$best_rss
        scores=$(python3 "$SCORE" "$out" "$DATA/visits-$l.truth.jsonl")
        echo "$scores" | sed "s/^/notelint_${l}_/"
        RECALL[$l]=$(echo "$scores" | sed -n 's/^f401_recall: //p')
    fi

    # ------------------------------------------------------------ peers, on the 100k export
    [[ $l == 100k ]] || continue
    if [[ ! -x $PEER_PY ]]; then
        log "no $PEER_PY: skipping the peers"
        continue
    fi
    # Run a peer: peer NAME SCRIPT; sets PEER_LINE (its own summary line), PEER_WALL_S, PEER_PEAK_MIB.
    peer() {
        local t0 t1 tv=$DATA/time-$1-$l.txt
        t0=$(now_ns)
        PEER_LINE=$(/usr/bin/time -v -o "$tv" "$PEER_PY" "$PEERS/$2" "$export_file" 2>"$DATA/$1.err" | grep "^$1:" | tail -1) || {
            echo "$1 peer failed:" >&2
            tail -5 "$DATA/$1.err" >&2
            return 1
        }
        t1=$(now_ns)
        PEER_WALL_S=$(calc 3 "($t1 - $t0) / 1e9")
        PEER_PEAK_MIB=$(peak_mib "$tv")
    }
    field() { echo "$1" | sed -n "s/.* $2=\([0-9.]*\).*/\1/p"; }
    for name in bloatectomy datasketch; do
        runs=$RUNS
        [[ $name == datasketch ]] && runs=$DS_RUNS
        best_nps="" best_line="" best_wall="" best_peak=""
        for ((run = 1; run <= runs; run++)); do
            log "peer $name run $run: $PEER_PY $PEERS/${name}_peer.py $export_file"
            peer "$name" "${name}_peer.py" || continue
            log "  $PEER_LINE (process wall ${PEER_WALL_S}s, peak ${PEER_PEAK_MIB}MiB)"
            nps=$(field "$PEER_LINE" notes_per_s)
            if [[ -z $best_nps ]] || awk "BEGIN { exit !($nps > $best_nps) }"; then
                best_nps=$nps best_line=$PEER_LINE best_wall=$PEER_WALL_S best_peak=$PEER_PEAK_MIB
            fi
        done
        [[ -n $best_nps ]] || continue
        echo "${name}_100k_summary: $best_line"
        echo "${name}_100k_notes_per_s: $best_nps"
        echo "${name}_100k_process_wall_s: $best_wall"
        echo "${name}_100k_process_notes_per_s: $(calc 0 "$n / $best_wall")"
        echo "${name}_100k_peak_rss_mib: $best_peak"
        if [[ -n ${NPS[$l]:-} ]]; then
            echo "ratio_notelint_vs_${name}_notes_per_s: $(calc 2 "${NPS[$l]} / $best_nps")"
            echo "ratio_notelint_vs_${name}_process_notes_per_s: $(calc 2 "${NPS[$l]} / ($n / $best_wall)")"
        fi
        [[ $name == datasketch ]] && DS_NPS=$best_nps
        [[ $name == bloatectomy ]] && BL_NPS=$best_nps
    done
    if [[ $DS_RECALL == 1 ]]; then
        log "datasketch recall: $PEER_PY $DS_RECALL_PY (the peer's pipeline, recording its pairs)"
        ds=$("$PEER_PY" "$DS_RECALL_PY" "$PEERS/datasketch_peer.py" "$export_file" "$DATA/visits-$l.truth.jsonl" \
            2>"$DATA/datasketch-recall.err") || {
            echo "datasketch recall failed:" >&2
            tail -5 "$DATA/datasketch-recall.err" >&2
        }
        echo "$ds" | sed -n 's/^datasketch_wrapper: /datasketch_100k_recall_run: /p; t; s/^datasketch_/datasketch_100k_/p'
        DS_RECALL_VALUE=$(echo "$ds" | sed -n 's/^datasketch_recall: //p')
    fi
done

# ---------------------------------------------------------------- ratios and targets
met() { awk "BEGIN { print ($1) ? \"met\" : \"NOT met\" }"; }
if [[ -n ${WALL[100k]:-} && -n ${WALL[300k]:-} ]]; then
    echo "ratio_t300k_over_t100k: $(calc 2 "${WALL[300k]} / ${WALL[100k]}") (linear: 3)"
fi
if [[ -n ${WALL[100k]:-} && -n ${WALL[1m]:-} ]]; then
    r=$(calc 2 "${WALL[1m]} / ${WALL[100k]}")
    echo "ratio_t1m_over_t100k: $r (linear: 10)"
    echo "target_t1m_le_12x_t100k: $(met "$r <= 12")"
fi
if [[ -n ${WALL[1m]:-} ]]; then
    echo "target_1m_le_90_s: $(met "${WALL[1m]} <= 90")"
    echo "target_1m_peak_rss_le_4_gib: $(met "${RSS[1m]} <= 4096")"
elif [[ " $SIZES " == *" 1000000 "* ]]; then
    echo "target_1m_le_90_s: NOT met (the 1M run did not complete)"
fi
if [[ -n ${NPS[100k]:-} && -n ${DS_NPS:-} ]]; then
    cond="${NPS[100k]} >= 10 * $DS_NPS"
    [[ -n ${DS_RECALL_VALUE:-} ]] && cond="$cond && ${RECALL[100k]} >= $DS_RECALL_VALUE"
    echo "target_ge_10x_datasketch_at_equal_or_better_recall: $(met "$cond")"
fi
if [[ -n ${NPS[100k]:-} && -n ${BL_NPS:-} ]]; then
    echo "target_faster_than_bloatectomy: $(met "${NPS[100k]} > $BL_NPS")"
fi
