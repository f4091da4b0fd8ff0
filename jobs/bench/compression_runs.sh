#!/usr/bin/env bash
# The runs behind docs/results.md: each network and method under the same target, schedule and epochs, on the full
# training split (55,000 images) and on its first 7,500 images (data.train.limit=7500; the same 5,000-image validation
# split), beside the dense baseline trained for
# the same number of epochs; then python3 jobs/bench/results_table.py writes the tables and docs/results.json.
# Usage: jobs/bench/compression_runs.sh [GROUP...] with groups lenet300-7500 lenet300-full lenet5-7500 lenet5-flops
# schedule lenet5-full (default: all, in this order); each run writes runs/NAME. Hours on 2 cores: run the groups you
# need.
set -euo pipefail
cd "$(dirname "$0")/../.."
# TURBOVBI_JAR: a copy of the runnable jar (beside its lib/) to keep running while the project is rebuilt
jar=${TURBOVBI_JAR:-jobs/target/turbovbi.jar}
run() {
  local name=$1; shift
  java -jar "$jar" compress --overwrite "$@" output="runs/$name" > "runs/$name.log" 2>&1 \
    || { echo "run $name failed: see runs/$name.log" >&2; return 1; }
  echo "$name: $(tail -n 1 "runs/$name.log")"
}
# The dense baseline: the same network trained plainly for as many epochs as a compression run takes in all.
dense() {
  local name=$1 conf=$2; shift 2
  local epochs=0 key
  for key in turbo.warmup.epochs turbo.ramp turbo.hold finetune.epochs; do
    epochs=$((epochs + $(sed -n "s/^$key *= *//p" "$conf")))
  done
  java -jar "$jar" train --conf "$conf" train.epochs="$epochs" "$@" --json > "runs/$name.jsonl" 2> "runs/$name.log" \
    || { echo "run $name failed: see runs/$name.log" >&2; return 1; }
  echo "$name: $(tail -n 1 "runs/$name.jsonl")"
}
methods() {
  local prefix=$1; shift
  dense "$prefix-dense" "$2" "${@:3}"
  run "$prefix-rows" "$@" mrf.mode=rows
  run "$prefix-grid" "$@" mrf.mode=grid
  run "$prefix-iid" "$@" method=iid
  run "$prefix-magnitude" "$@" method=magnitude
}
mkdir -p runs
groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(lenet300-7500 lenet300-full lenet5-7500 lenet5-flops schedule lenet5-full)
for group in "${groups[@]}"; do
  case "$group" in
    lenet300-7500) methods lenet300-7500 --conf conf/lenet300-fashion.properties data.train.limit=7500 ;;
    lenet5-7500) methods lenet5-7500 --conf conf/lenet5-fashion.properties data.train.limit=7500 ;;
    schedule) run lenet300-7500-rows-geometric --conf conf/lenet300-fashion.properties data.train.limit=7500 \
      turbo.schedule=geometric
      run lenet5-7500-rows-geometric --conf conf/lenet5-fashion.properties data.train.limit=7500 \
      turbo.schedule=geometric ;;
    lenet300-full) methods lenet300-full --conf conf/lenet300-fashion.properties ;;
    lenet5-full) methods lenet5-full --conf conf/lenet5-fashion.properties ;;
    lenet5-flops) run lenet5-7500-flops --conf conf/lenet5-fashion.properties data.train.limit=7500 \
      turbo.target.compression=0 turbo.target.flops=300000 ;;
    *) echo "unknown group $group" >&2; exit 2 ;;
  esac
done
