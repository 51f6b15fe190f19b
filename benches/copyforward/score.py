#!/usr/bin/env python3
"""Score notelint's F401 findings against the planted clones (stdlib only).

    python3 benches/copyforward/score.py OUT.jsonl TRUTH.jsonl

OUT is `notelint check --format jsonl` output (one JSON object per note), TRUTH has one
{"note_id", "related_note_id"} line per planted clone. A planted clone is found when its note has
an F401 finding whose related_note_id is the truth's. Prints `name: value` lines:
recall = found / planted, precision = found / all F401 findings; also the F401 findings on a
planted clone that name another note, and the F402 / F403 counts (not scored: the export plants
no section copies or cross-patient clones).
"""
import json
import sys


def main():
    out_path, truth_path = sys.argv[1:3]
    truth = {}
    with open(truth_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                t = json.loads(line)
                truth[t["note_id"]] = t["related_note_id"]
    f401 = found = wrong_related = f402 = f403 = 0
    with open(out_path, encoding="utf-8") as f:
        for line in f:
            if '"F40' not in line:  # most notes have no copy-forward finding: skip the parse
                continue
            r = json.loads(line)
            for x in r.get("findings", []):
                code = x.get("code")
                if code == "F401":
                    f401 += 1
                    want = truth.get(r["note_id"])
                    if want is not None and x.get("related_note_id") == want:
                        found += 1
                    elif want is not None:
                        wrong_related += 1
                elif code == "F402":
                    f402 += 1
                elif code == "F403":
                    f403 += 1
    planted = len(truth)
    print(f"planted_clones: {planted}")
    print(f"f401_findings: {f401}")
    print(f"f401_found_planted: {found}")
    print(f"f401_on_clone_wrong_related: {wrong_related}")
    print(f"f401_recall: {found / planted if planted else 0:.4f}")
    print(f"f401_precision: {found / f401 if f401 else 0:.4f}")
    print(f"f402_findings: {f402}")
    print(f"f403_findings: {f403}")


if __name__ == "__main__":
    sys.exit(main())
