#!/usr/bin/env bash
# bench/perf.sh: time coursepack builds of synthetic courses against a plain
# baseline doing the same work (see docs/performance.md). Run it as
#
#	make perf                      # or bench/perf.sh
#	RUNS=3 LARGE_RUNS=2 SIZES="small medium" bench/perf.sh
#	COURSEPACK=/tmp/old/coursepack bench/perf.sh   # time another build
#	BEFORE=/tmp/old/coursepack bench/perf.sh       # and this one beside it
#
# It builds coursepack, the baseline (bench/baseline) and the course
# generator (internal/synth/cmd) once, generates each size into
# $WORK/courses, and prints for each size, from one run:
#
#	SIZE build=Xs baseline=Ys ratio=R peak_rss=MB
#
# build is the best wall time of RUNS runs (LARGE_RUNS for large) of
# `coursepack build --format scorm12`, baseline the best of as many runs of
# bench/baseline on the same course (goldmark alone, assets copied,
# archive/zip), interleaved with the builds so both see the same machine; peak_rss is the largest "Maximum
# resident set size" of the builds, from GNU time. Then the example course
# end to end, all formats against one, and two large builds compared by
# sha256. Nothing here asserts: it reports.
#
# Peak memory needs GNU time (/usr/bin/time); when it is missing the script
# installs Debian's package `time` with apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
RUNS=${RUNS:-5}
LARGE_RUNS=${LARGE_RUNS:-3}
SIZES=${SIZES:-small medium large}
WORK=${WORK:-build/perf}
EXAMPLE=${EXAMPLE:-examples/stepping-into-leadership}
EXAMPLE_RUNS=${EXAMPLE_RUNS:-20}

if [[ ! -x /usr/bin/time ]]; then
	echo "perf: /usr/bin/time is missing; installing Debian's package \`time\` (GNU time) for peak memory" >&2
	apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi

bin=$WORK/bin
mkdir -p "$bin" "$WORK/courses" "$WORK/out"
$GO build -o "$bin/baseline" ./bench/baseline
$GO build -o "$bin/synth" ./internal/synth/cmd
# COURSEPACK=path/to/coursepack times another build of the tool (an older
# one, say) against the same courses and baseline.
if [[ -n ${COURSEPACK:-} ]]; then
	cp "$COURSEPACK" "$bin/coursepack"
else
	$GO build -o "$bin/coursepack" ./cmd/coursepack
fi
# BEFORE=path/to/coursepack also times that build of the tool in the same
# loop, for before-and-after figures measured side by side.
if [[ -n ${BEFORE:-} ]]; then
	cp "$BEFORE" "$bin/before"
fi

# run LOG CMD...: runs CMD under GNU time, its output thrown away, and sets
# wall (nanoseconds), rss (kB), cpu (percent) and cput (CPU time, user and
# system, in nanoseconds).
run() {
	local log=$1
	shift
	local start end
	start=$(date +%s%N)
	/usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$log.err" || { cat "$log.err" >&2; return 1; }
	end=$(date +%s%N)
	wall=$((end - start))
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
	cpu=$(awk -F': ' '/Percent of CPU/ {print $2}' "$log")
	cput=$(awk -F': ' '/(User|System) time/ {t += $2} END {printf "%.0f", t * 1e9}' "$log")
}

# secs NS: nanoseconds as seconds with three decimals.
secs() { awk -v n="$1" 'BEGIN { printf "%.3f", n / 1e9 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

cat <<EOF
# coursepack perf, $(date -u +%Y-%m-%dT%H:%M:%SZ), best of $RUNS ($LARGE_RUNS for large)
# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)
# $($GO version | cut -d' ' -f3-)
EOF

for size in $SIZES; do
	course=$WORK/courses/$size
	rm -rf "$course"
	"$bin/synth" -size "$size" -out "$course" | sed 's/^/# /'
	out=$WORK/out/$size
	rm -rf "$out"
	mkdir -p "$out"
	# Warm the page cache for both.
	"$bin/coursepack" build "$course" --format scorm12 --out "$out/warm" >/dev/null 2>&1
	"$bin/baseline" "$course" "$out/warm.zip"
	rm -rf "$out/warm" "$out/warm.zip"
	best_build=0 best_base=0 peak=0 build_cpu=0 base_rss=0 best_before=0 before_rss=0 before_cput=0
	build_cput=0 base_cput=0
	runs=$RUNS
	[[ $size == large ]] && runs=$LARGE_RUNS
	for ((i = 0; i < runs; i++)); do
		# Builds alternate between two folders, so the last two are kept
		# for the byte-identity check.
		dest=$out/build-$((i % 2))
		rm -rf "$dest" "$out/baseline.zip"
		sync
		run "$out/time-build" "$bin/coursepack" build "$course" --format scorm12 --out "$dest"
		if ((best_build == 0 || wall < best_build)); then best_build=$wall build_cpu=$cpu; fi
		if ((build_cput == 0 || cput < build_cput)); then build_cput=$cput; fi
		if ((rss > peak)); then peak=$rss; fi
		sync
		run "$out/time-base" "$bin/baseline" "$course" "$out/baseline.zip"
		if ((best_base == 0 || wall < best_base)); then best_base=$wall; fi
		if ((base_cput == 0 || cput < base_cput)); then base_cput=$cput; fi
		if ((rss > base_rss)); then base_rss=$rss; fi
		if [[ -n ${BEFORE:-} ]]; then
			rm -rf "$out/before"
			sync
			run "$out/time-before" "$bin/before" build "$course" --format scorm12 --out "$out/before"
			if ((best_before == 0 || wall < best_before)); then best_before=$wall; fi
			if ((before_cput == 0 || cput < before_cput)); then before_cput=$cput; fi
			if ((rss > before_rss)); then before_rss=$rss; fi
		fi
	done
	printf '%s build=%ss baseline=%ss ratio=%s peak_rss=%dMB\n' "$size" "$(secs $best_build)" "$(secs $best_base)" \
		"$(ratio $best_build $best_base)" $((peak / 1024))
	zip=$(ls "$out"/build-0/*.zip)
	printf '#   build cpu=%s, cpu_time build=%ss baseline=%ss ratio=%s, baseline peak_rss=%dMB, zip %s MB\n' \
		"$build_cpu" "$(secs $build_cput)" "$(secs $base_cput)" "$(ratio $build_cput $base_cput)" $((base_rss / 1024)) \
		"$(awk -v n="$(stat -c %s "$zip")" 'BEGIN { printf "%.1f", n / 1e6 }')"
	if [[ -n ${BEFORE:-} ]]; then
		printf '#   before build=%ss ratio=%s peak_rss=%dMB cpu_time=%ss cpu_ratio=%s\n' "$(secs $best_before)" "$(ratio $best_before $best_base)" $((before_rss / 1024)) \
			"$(secs $before_cput)" "$(ratio $before_cput $base_cput)"
	fi
	if [[ $size == large ]] && ((runs >= 2)); then
		a=$(sha256sum <"$out/build-0/$(basename "$zip")" | cut -d' ' -f1)
		b=$(sha256sum <"$out/build-1/$(basename "$zip")" | cut -d' ' -f1)
		if [[ $a == "$b" ]]; then
			echo "large byte-identical=yes sha256=$a"
		else
			echo "large byte-identical=NO sha256=$a,$b"
		fi
	fi
done

# best_wall and best_cpu hold, by key, the best wall and CPU times (in
# nanoseconds) of the builds timed under that key.
declare -A best_wall best_cpu

# timed KEY LOG CMD...: runs CMD under run and keeps its times under KEY.
timed() {
	local key=$1
	shift
	run "$@"
	if ((${best_wall[$key]:-0} == 0 || wall < best_wall[$key])); then best_wall[$key]=$wall; fi
	if ((${best_cpu[$key]:-0} == 0 || cput < best_cpu[$key])); then best_cpu[$key]=$cput; fi
}

# one_all N COURSE OUT: N builds of COURSE for SCORM 1.2 alone and N for
# every format, alternating, into OUT/TOOL/one and OUT/TOOL/all, timed
# under the keys TOOL/one and TOOL/all (process start included), for
# coursepack and, with BEFORE set, for that tool too, turn about with
# coursepack, so that both meet the same machine and the same filesystem:
# deleting files costs their next creations on some filesystems, so a tool
# run after another is not on even terms with it.
one_all() {
	local n=$1 course=$2 out=$3 tool tools=(coursepack)
	if [[ -n ${BEFORE:-} ]]; then
		tools+=(before)
	fi
	best_wall=() best_cpu=()
	for ((i = 0; i < n; i++)); do
		for tool in "${tools[@]}"; do
			mkdir -p "$out/$tool"
			timed "$tool/one" "$out/$tool/time-one" "$bin/$tool" build "$course" --format scorm12 --out "$out/$tool/one"
			timed "$tool/all" "$out/$tool/time-all" "$bin/$tool" build "$course" --out "$out/$tool/all"
		done
	done
}

# report_one_all NAME TOOL: the line of one_all's figures for TOOL.
report_one_all() {
	local name=$1 tool=$2 one=${best_wall[$2/one]} all=${best_wall[$2/all]}
	if [[ $tool == before ]]; then
		echo "#   before $name all-formats=$(secs "$all")s one-format=$(secs "$one")s ratio=$(ratio "$all" "$one") cpu_ratio=$(ratio "${best_cpu[before/all]}" "${best_cpu[before/one]}")"
		return
	fi
	echo "$name all-formats=$(secs "$all")s one-format=$(secs "$one")s ratio=$(ratio "$all" "$one")${3:-}"
	echo "#   cpu_time all-formats=$(secs "${best_cpu[$tool/all]}")s one-format=$(secs "${best_cpu[$tool/one]}")s ratio=$(ratio "${best_cpu[$tool/all]}" "${best_cpu[$tool/one]}")"
}

ex=$WORK/out/example
rm -rf "$ex"
one_all "$EXAMPLE_RUNS" "$EXAMPLE" "$ex"
echo "example scorm12 wall=$(secs "${best_wall[coursepack/one]}")s (end to end, best of $EXAMPLE_RUNS)"
report_one_all example coursepack " ($(ls "$ex/coursepack/all" | grep -vc '\.json$\|\.txt$') packages)"
if [[ -n ${BEFORE:-} ]]; then
	report_one_all example before
fi
for size in $SIZES; do
	[[ $size == medium ]] || continue
	one_all "$RUNS" "$WORK/courses/medium" "$WORK/out/medium"
	report_one_all medium coursepack
	if [[ -n ${BEFORE:-} ]]; then
		report_one_all medium before
	fi
done
