#!/usr/bin/env bash
# Regenerates src/main/resources/io/scalableapp/operator/plan/instance-types.tsv, the EC2 instance
# types the operator knows (validation of spec.instanceType and spec.instances, and the simulated
# cloud's attribute-based selection), from the DescribeInstanceTypes data moto bundles (AWS's own
# answers, as of the moto release tools/moto/install.sh installs).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/moto/install.sh >/dev/null
site=${MOTO_HOME:-$HOME/.cache/moto}
data=$(find "$site" -path '*moto/ec2/resources/instance_types.json.gz' | head -1)
out=src/main/resources/io/scalableapp/operator/plan/instance-types.tsv
python3 - "$data" > "$out" <<'PY'
import gzip, json, sys
types = json.load(gzip.open(sys.argv[1]))
print("# EC2 instance types from AWS's DescribeInstanceTypes answers (as bundled by moto);")
print("# regenerate with tools/instance-types/generate.sh. Columns: type, vCPUs, memory (MiB),")
print("# architectures, burstable, Spot offered.")
for name in sorted(types):
    t = types[name]
    archs = ",".join(sorted(t.get("ProcessorInfo", {}).get("SupportedArchitectures", [])))
    print("\t".join([
        name,
        str(t["VCpuInfo"]["DefaultVCpus"]),
        str(t["MemoryInfo"]["SizeInMiB"]),
        archs,
        "burstable" if t.get("BurstablePerformanceSupported") else "-",
        "spot" if "spot" in t.get("SupportedUsageClasses", []) else "-",
    ]))
PY
echo "$out: $(grep -vc '^#' "$out") types"
