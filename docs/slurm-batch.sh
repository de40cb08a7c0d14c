#!/bin/bash
# A batch study split over a Slurm job array, then merged: the merged folder is byte-identical to
# `cyberdrill batch` run on one machine with the same scenario, --runs, --vary and --seed.
#
#   sbatch docs/slurm-batch.sh            # 16 array tasks, each one shard
#   # when every task has finished:
#   cyberdrill batch merge studies/shards/s* -o studies/coverage
#
# Every task must see the same scenario files at the same path (a shared file system): the shard
# records the command's study arguments (shard.args) and `batch merge` reloads the scenario from
# them and checks it against each shard's study key.
#SBATCH --job-name=cyberdrill-study
#SBATCH --array=1-16
#SBATCH --cpus-per-task=4
#SBATCH --time=01:00:00
#SBATCH --output=studies/shards/slurm-%A_%a.log
set -euo pipefail

N=16
I=${SLURM_ARRAY_TASK_ID}
mkdir -p studies/shards
cyberdrill batch scenarios/belgium/grid-blackout.json \
  --runs 10000 \
  --vary policy.reporting_coverage_scale=0.25:1:0.25 \
  --vary organisations.ncsirt.staff=2,4,8 \
  --seed 20260310 \
  -j "${SLURM_CPUS_PER_TASK}" \
  --shard "${I}/${N}" \
  -o "studies/shards/s${I}"
# A task that was pre-empted continues from studies/shards/sI.partial: add --resume to the line
# above and resubmit the missing array indices (sbatch --array=3,7 ...).
