#!/usr/bin/env python3
"""Recall of the datasketch peer on the planted clones, without changing the peer.

    PEERS_PY benches/copyforward/datasketch_recall.py PEER.py EXPORT.jsonl TRUTH.jsonl

Imports /work/shared/peers/datasketch_peer.py (its `shingles`: 5-word shingles, digits folded)
and runs the peer's own pipeline with its parameters, line for line (MinHash 128 permutations,
MinHashLSH threshold 0.8, insert every note, query every note, keep candidates of the same patient
with an earlier (date, note_id)), but records the pairs instead of only counting them. Then:
recall = planted clones whose true earlier note is among their pairs; pair precision = those / all
pairs (a chain of clones gives pairs to every earlier copy, so this is low by construction);
note precision = notes with a pair that are planted clones / notes with a pair. Prints
`name: value` lines and the peer's own timing line (this run includes the pair bookkeeping).
"""
import importlib.util
import json
import resource
import sys
import time


def main():
    peer_path, export, truth_path = sys.argv[1:4]
    spec = importlib.util.spec_from_file_location("datasketch_peer", peer_path)
    peer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(peer)
    from datasketch import MinHash, MinHashLSH

    notes = [json.loads(l) for l in open(export, encoding="utf-8") if l.strip()]
    start = time.perf_counter()
    # --- the peer's main(), verbatim but for recording the pairs ---
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    sigs = {}
    for i, n in enumerate(notes):
        m = MinHash(num_perm=128)
        m.update_batch(list(peer.shingles(n["text"])))
        sigs[i] = m
        lsh.insert(i, m)
    pairs = []
    for i, n in enumerate(notes):
        for j in lsh.query(sigs[i]):
            o = notes[j]
            if j != i and o["patient_id"] == n["patient_id"] and (o["date"], o["note_id"]) < (n["date"], n["note_id"]):
                pairs.append((n["note_id"], o["note_id"]))
    secs = time.perf_counter() - start
    # ---
    truth = {}
    for line in open(truth_path, encoding="utf-8"):
        if line.strip():
            t = json.loads(line)
            truth[t["note_id"]] = t["related_note_id"]
    found = sum(1 for a, b in set(pairs) if truth.get(a) == b)
    flagged = {a for a, _ in pairs}
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"datasketch_wrapper: notes={len(notes)} pairs={len(pairs)} seconds={secs:.3f} "
          f"notes_per_s={len(notes) / secs:.1f} peak_rss_mb={rss:.0f}")
    print(f"datasketch_pairs: {len(pairs)}")
    print(f"datasketch_found_planted: {found}")
    print(f"datasketch_recall: {found / len(truth) if truth else 0:.4f}")
    print(f"datasketch_pair_precision: {found / len(pairs) if pairs else 0:.4f}")
    print(f"datasketch_note_precision: {len(flagged & truth.keys()) / len(flagged) if flagged else 0:.4f}")


if __name__ == "__main__":
    sys.exit(main())
