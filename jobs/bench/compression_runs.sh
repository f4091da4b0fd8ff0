#!/usr/bin/env bash
# The runs behind docs/results.md: each network and method under the same target, schedule and epoch rule (warm-up
# until the validation accuracy stops improving, ramp, hold, fine-tuning), on the full training split (55,000 images)
# and on its first 7,500 images (data.train.limit=7500; the same 5,000-image validation split), beside the dense
# baseline trained for as many epochs as the group's rows run took; then jobs/bench/results_table.py writes the
# tables and docs/results.json.
# Usage: jobs/bench/compression_runs.sh [GROUP...] with groups lenet300-7500 lenet300-full lenet5-7500 lenet5-flops
# schedule warmup lenet5-full graph-lenet300-7500 graph-lenet300-full graph-lenet5-7500 graph-lenet5-full layer-trials
# layered-lenet300 layered-lenet5-full (default: all, in this order); each run writes runs/NAME. Hours on 2 cores: run
# the groups you need.
# The graph-* groups run graph mode beside rows and grid with the committed (sub-critical) chains p01 = 0.25,
# p10 = 0.625 ("-subcritical": the earlier rows and grid runs used 0.2 / 0.5, at the critical coupling), and iid
# again with today's code ("-rerun"; iid does not depend on p01 and p10, which keep lambda).
# layer-trials: per-layer support-prior settings in graph mode, judged on the validation split only
# (data.test.evaluate=false), beside graph and iid with the committed settings; values are per weight layer.
# layered-lenet300: the per-layer setting the trials chose (stronger chains on the first layer's image grids:
# "-layered") beside graph and iid with the same code, three seeds at 7,500 images and one on the full set ("-v2":
# graph and iid again with the code of this comparison).
# layered-lenet5-full: LeNet-5 in graph mode with the per-layer precision prior the trials chose (prior.bbar 1e-3 on
# conv1, 1e-4 elsewhere: conv1 keeps fewer weights), and with 1e-2 on conv1 (fewer FLOPs, less accurate on validation).
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
# The dense baseline: the same network trained plainly for as many epochs as the compression run $2 took in all.
dense() {
  local name=$1 epochs
  epochs=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["epochs"]["total"])' \
    "runs/$2/result/metrics.json")
  shift 2
  java -jar "$jar" train "$@" train.epochs="$epochs" --json > "runs/$name.jsonl" 2> "runs/$name.log" \
    || { echo "run $name failed: see runs/$name.log" >&2; return 1; }
  echo "$name: $(tail -n 1 "runs/$name.jsonl")"
}
methods() {
  local prefix=$1; shift
  run "$prefix-rows" "$@" mrf.mode=rows
  dense "$prefix-dense" "$prefix-rows" "$@"
  run "$prefix-grid" "$@" mrf.mode=grid
  run "$prefix-iid" "$@" method=iid
  run "$prefix-magnitude" "$@" method=magnitude
}
# The per-layer setting the layer trials chose for LeNet-300-100: stronger chains on the first layer's image grids.
layered=(mrf.mode=graph mrf.row.p01=0.2,0.25,0.25 mrf.row.p10=0.55,0.625,0.625 mrf.col.p01=0.2,0.25,0.25
  mrf.col.p10=0.55,0.625,0.625)
mkdir -p runs
groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(lenet300-7500 lenet300-full lenet5-7500 lenet5-flops schedule warmup lenet5-full
  graph-lenet300-7500 graph-lenet300-full graph-lenet5-7500 graph-lenet5-full layer-trials layered-lenet300
  layered-lenet5-full)
for group in "${groups[@]}"; do
  case "$group" in
    lenet300-7500) methods lenet300-7500 --conf conf/lenet300-fashion.properties data.train.limit=7500 ;;
    lenet5-7500) methods lenet5-7500 --conf conf/lenet5-fashion.properties data.train.limit=7500 ;;
    schedule) run lenet300-7500-rows-geometric --conf conf/lenet300-fashion.properties data.train.limit=7500 \
      turbo.schedule=geometric
      run lenet5-7500-rows-geometric --conf conf/lenet5-fashion.properties data.train.limit=7500 \
      turbo.schedule=geometric ;;
    warmup) run lenet300-7500-rows-fixed-warmup --conf conf/lenet300-fashion.properties data.train.limit=7500 \
      turbo.warmup.epochs=3 turbo.warmup.patience=0 ;;
    lenet300-full) methods lenet300-full --conf conf/lenet300-fashion.properties ;;
    lenet5-full) methods lenet5-full --conf conf/lenet5-fashion.properties ;;
    graph-lenet300-7500) run lenet300-7500-graph --conf conf/lenet300-fashion.properties data.train.limit=7500 \
      mrf.mode=graph
      run lenet300-7500-rows-subcritical --conf conf/lenet300-fashion.properties data.train.limit=7500
      run lenet300-7500-grid-subcritical --conf conf/lenet300-fashion.properties data.train.limit=7500 \
      mrf.mode=grid
      run lenet300-7500-iid-rerun --conf conf/lenet300-fashion.properties data.train.limit=7500 method=iid ;;
    graph-lenet300-full) run lenet300-full-graph --conf conf/lenet300-fashion.properties mrf.mode=graph
      run lenet300-full-iid-rerun --conf conf/lenet300-fashion.properties method=iid
      run lenet300-full-rows-subcritical --conf conf/lenet300-fashion.properties
      run lenet300-full-grid-subcritical --conf conf/lenet300-fashion.properties mrf.mode=grid ;;
    graph-lenet5-7500) run lenet5-7500-graph --conf conf/lenet5-fashion.properties data.train.limit=7500 \
      mrf.mode=graph
      run lenet5-7500-iid-rerun --conf conf/lenet5-fashion.properties data.train.limit=7500 method=iid
      run lenet5-7500-rows-subcritical --conf conf/lenet5-fashion.properties data.train.limit=7500 ;;
    graph-lenet5-full) run lenet5-full-graph --conf conf/lenet5-fashion.properties mrf.mode=graph
      run lenet5-full-iid-rerun --conf conf/lenet5-fashion.properties method=iid
      run lenet5-full-magnitude --conf conf/lenet5-fashion.properties method=magnitude ;;
    layer-trials)
      lenet300=(--conf conf/lenet300-fashion.properties data.train.limit=7500 data.test.evaluate=false)
      run trial-lenet300-7500-graph "${lenet300[@]}" mrf.mode=graph
      run trial-lenet300-7500-iid "${lenet300[@]}" method=iid
      run trial-lenet300-7500-graph-gates-hidden "${lenet300[@]}" mrf.mode=graph \
        mrf.gate.prior=0.5,0.1,0.5 mrf.gate.leak=0.05,0.01,0.05
      run trial-lenet300-7500-graph-gates-first "${lenet300[@]}" mrf.mode=graph \
        mrf.gate.prior=0.1,0.5,0.5 mrf.gate.leak=0.01,0.05,0.05
      run trial-lenet300-7500-graph-grid-first "${lenet300[@]}" "${layered[@]}"
      lenet5=(--conf conf/lenet5-fashion.properties data.train.limit=7500 data.test.evaluate=false)
      run trial-lenet5-7500-graph "${lenet5[@]}" mrf.mode=graph
      run trial-lenet5-7500-graph-gates-conv "${lenet5[@]}" mrf.mode=graph \
        mrf.gate.prior=0.1,0.1,0.5,0.5 mrf.gate.leak=0.01,0.01,0.05,0.05
      run trial-lenet300-7500-graph-grid-gates-first "${lenet300[@]}" "${layered[@]}" \
        mrf.gate.prior=0.1,0.5,0.5 mrf.gate.leak=0.01,0.05,0.05
      run trial-lenet300-7500-graph-grid-first-j369 "${lenet300[@]}" mrf.mode=graph \
        mrf.row.p01=0.2,0.25,0.25 mrf.row.p10=0.52,0.625,0.625 mrf.col.p01=0.2,0.25,0.25 mrf.col.p10=0.52,0.625,0.625
      run trial-lenet5-7500-graph-grid-first "${lenet5[@]}" mrf.mode=graph \
        mrf.row.p01=0.2,0.2,0.2,0.25 mrf.row.p10=0.55,0.55,0.55,0.625 mrf.col.p01=0.2,0.2,0.2,0.25 \
        mrf.col.p10=0.55,0.55,0.55,0.625
      run trial-lenet5-7500-graph-bbar-conv1-1e-5 "${lenet5[@]}" mrf.mode=graph prior.bbar=1e-5,1e-4,1e-4,1e-4
      run trial-lenet5-7500-graph-bbar-conv1-1e-3 "${lenet5[@]}" mrf.mode=graph prior.bbar=1e-3,1e-4,1e-4,1e-4
      run trial-lenet5-7500-graph-bbar-conv1-1e-2 "${lenet5[@]}" mrf.mode=graph prior.bbar=1e-2,1e-4,1e-4,1e-4 ;;
    layered-lenet300)
      for seed in 1 2 3; do
        small=(--conf conf/lenet300-fashion.properties data.train.limit=7500 seed=$seed)
        run lenet300-7500-graph-layered-s$seed "${small[@]}" "${layered[@]}"
        run lenet300-7500-graph-s$seed "${small[@]}" mrf.mode=graph
        run lenet300-7500-iid-s$seed "${small[@]}" method=iid
      done
      run lenet300-full-graph-layered --conf conf/lenet300-fashion.properties "${layered[@]}"
      run lenet300-full-graph-v2 --conf conf/lenet300-fashion.properties mrf.mode=graph
      run lenet300-full-iid-v2 --conf conf/lenet300-fashion.properties method=iid ;;
    layered-lenet5-full)
      run lenet5-full-graph-layered --conf conf/lenet5-fashion.properties mrf.mode=graph prior.bbar=1e-3,1e-4,1e-4,1e-4
      run lenet5-full-graph-bbar-conv1-1e-2 --conf conf/lenet5-fashion.properties mrf.mode=graph \
        prior.bbar=1e-2,1e-4,1e-4,1e-4 ;;
    lenet5-flops) run lenet5-7500-flops --conf conf/lenet5-fashion.properties data.train.limit=7500 \
      turbo.target.compression=0 turbo.target.flops=300000 ;;
    *) echo "unknown group $group" >&2; exit 2 ;;
  esac
done
