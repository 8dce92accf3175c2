#!/usr/bin/env bash
# Container smoke test: builds the REAL apps/webapp-color/Dockerfile with
# podman, runs the image the way ECS does (non-root, read-only root
# filesystem, no tmpfs, all capabilities dropped) and checks it from outside.
# Called by .ci/run as root; a developer's `pnpm test` never needs podman.
#
#   bash scripts/container-smoke.sh        # exit 0 only if every check passes
#
# Phases (each timed):
#   1. base image  The Dockerfile's FROM (parsed from it, not repeated here)
#                  is made locally by scripts/make-base-image.sh when missing:
#                  Docker Hub and ECR Public are unreachable, so
#                  --pull=never everywhere.
#   2. build       podman build of the Dockerfile, repository root as context,
#                  APP_VERSION=smoke-<commit>-<time>, docker format (the OCI
#                  format would drop HEALTHCHECK), network of the host so the
#                  install steps reach the registry the host's npm uses.
#   3. start       podman run -d, published on a free 127.0.0.1 port; waits
#                  for the first 200 on the health route.
#   4. checks      image config vs the delivery definition baked into the
#                  image (port, health path, user), routes, APP_VERSION,
#                  non-root, tini as PID 1, read-only root, the image's own
#                  HEALTHCHECK, no pnpm/sources/dev deps in the image.
#   5. stop        podman stop (SIGTERM) must give exit code 0, well before
#                  the kill timeout.
#   6. stop (ECS init)  the same with `podman run --init`, which is what the
#                  task definition's initProcessEnabled does on ECS: the
#                  runtime's init is PID 1 and the image's tini runs under it.
# The containers are always removed (trap); the images stay as the build cache.
#
# Network: the Debian mirror and npm registry (phases 1-2, the host's apt
# sources and `npm config get registry`; HTTP(S)_PROXY from the environment is
# passed through to build steps by podman) and 127.0.0.1 otherwise.
#
# Environment (all optional):
#   SMOKE_IMAGE      tag to build (default webapp-color:smoke)
#   SMOKE_CACHE_DIR  base-image rootfs cache (default /var/tmp/webapp-color-smoke)
#   NPM_REGISTRY     registry for the build (default: `npm config get registry`)
#   APP_VERSION      version to bake in (default smoke-<short sha>-<epoch>)
set -euo pipefail
cd "$(dirname "$0")/.."

readonly DOCKERFILE=apps/webapp-color/Dockerfile
readonly IMAGE="${SMOKE_IMAGE:-webapp-color:smoke}"
readonly CONTAINER="webapp-color-smoke-$$"
readonly APP_COLOR_UNDER_TEST=green
readonly STOP_TIMEOUT_S=15

# ---------------------------------------------------------------- reporting
failures=0
checks=0
pass() {
  checks=$((checks + 1))
  printf '  PASS  %s\n' "$*"
}
fail() {
  checks=$((checks + 1))
  failures=$((failures + 1))
  printf '  FAIL  %s\n' "$*"
}
check() { # check <description> <reason if false> <command...>
  local what="$1" why="$2"
  shift 2
  if "$@"; then pass "$what"; else fail "$what — $why"; fi
}

phase_names=()
phase_secs=()
phase_started=0
phase_current=''
now_ms() { date +%s%3N; }
phase() {
  phase_end
  phase_current="$1"
  phase_started=$(now_ms)
  printf '\n\033[1m== %s ==\033[0m\n' "$1"
}
phase_end() {
  if [ -n "$phase_current" ]; then
    phase_names+=("$phase_current")
    phase_secs+=("$(awk -v ms=$(($(now_ms) - phase_started)) 'BEGIN { printf "%.1f", ms / 1000 }')")
    phase_current=''
  fi
}
summary() {
  phase_end
  printf '\n\033[1m== summary ==\033[0m\n'
  local i
  for i in "${!phase_names[@]}"; do
    printf '  %-16s %6s s\n' "${phase_names[$i]}" "${phase_secs[$i]}"
  done
  printf '  %-16s %6s s\n' total "$(awk -v ms=$(($(now_ms) - script_started)) 'BEGIN { printf "%.1f", ms / 1000 }')"
  printf '  checks: %d, failed: %d\n' "$checks" "$failures"
}
script_started=$(now_ms)

die() {
  fail "$*"
  summary
  exit 1
}

# ---------------------------------------------------------------- podman
# runc, with the ulimits this machine's runtime accepts (DESIGN.md).
hard_nofile="$(ulimit -Hn)"
[ "$hard_nofile" = unlimited ] && hard_nofile=1048576
RUN_FLAGS=(--runtime runc --pull=never
  --ulimit "nofile=${hard_nofile}:${hard_nofile}" --ulimit nproc=4096:4096)
# For one-off commands in the image: no network, no healthcheck timer.
run_once() { podman run --rm "${RUN_FLAGS[@]}" --network none --no-healthcheck "$@"; }

containers=()
cleanup() {
  local name
  for name in "${containers[@]}"; do
    podman rm --force --time 0 "$name" >/dev/null 2>&1 || true
  done
  rm -rf "${tmp:-}"
}
trap cleanup EXIT
tmp="$(mktemp -d)"

command -v podman >/dev/null || die "podman is not installed (apt-get install podman buildah runc ...)"
command -v curl >/dev/null || die "curl is not installed"

# Every HTTP request goes to 127.0.0.1 only, never through a proxy.
http_get() { # http_get <path> -> status code on stdout, body in $tmp/body
  curl --silent --show-error --noproxy '*' --max-time 5 \
    --output "$tmp/body" --write-out '%{http_code}' "http://127.0.0.1:${host_port}$1" || echo 000
}

# ---------------------------------------------------------------- 1. base
phase 'base image'
# Stage names first, then the FROM images that are not stages: exactly one.
mapfile -t from_lines < <(awk 'toupper($1) == "FROM" {
  img = ""; for (i = 2; i <= NF; i++) if ($i !~ /^--/) { img = $i; break }
  as = (toupper($(NF - 1)) == "AS") ? $NF : ""
  print img " " as }' "$DOCKERFILE")
stages=' '
base_images=()
for line in "${from_lines[@]}"; do
  img="${line%% *}"
  as="${line#* }"
  case "$stages" in
    *" $img "*) ;;
    *) [[ " ${base_images[*]-} " == *" $img "* ]] || base_images+=("$img") ;;
  esac
  [ -n "$as" ] && stages+="$as "
done
[ "${#base_images[@]}" = 1 ] || die "expected exactly one external FROM image in $DOCKERFILE, found: ${base_images[*]-none}"
base_image="${base_images[0]}"
echo "FROM $base_image"
bash scripts/make-base-image.sh "$base_image"

# ---------------------------------------------------------------- 2. build
phase build
if [ -z "${NPM_REGISTRY:-}" ]; then
  NPM_REGISTRY="$(npm config get registry 2>/dev/null || true)"
  NPM_REGISTRY="${NPM_REGISTRY:-https://registry.npmjs.org/}"
fi
sha="$(git rev-parse --short=12 HEAD 2>/dev/null || echo nogit)"
APP_VERSION="${APP_VERSION:-smoke-${sha}-$(date +%s)}"
# `podman build` of this version has no --runtime: the global flag does it.
# Without runc, chroot isolation also works here.
build_runtime=(--runtime runc)
command -v runc >/dev/null || build_runtime=()
build_isolation=()
[ "${#build_runtime[@]}" = 0 ] && build_isolation=(--isolation chroot)
echo "APP_VERSION=$APP_VERSION NPM_REGISTRY=$NPM_REGISTRY"
podman "${build_runtime[@]}" build "${build_isolation[@]}" \
  --pull=never --network host --format docker --layers \
  --build-arg "APP_VERSION=$APP_VERSION" \
  --build-arg "NPM_REGISTRY=$NPM_REGISTRY" \
  -f "$DOCKERFILE" -t "$IMAGE" . ||
  die "podman build failed (output above)"

# ---------------------------------------------------------------- 3. start
phase start
# The delivery definition the image itself carries (single source of truth).
definition="$(run_once --entrypoint node "$IMAGE" --input-type=module -e \
  "import { webappColor } from '@webapp-color/deploy-specs/definition'; console.log(JSON.stringify(webappColor.container))" 2>"$tmp/def.err")" ||
  definition=''
if [ -n "$definition" ]; then
  pass "image carries the delivery definition (@webapp-color/deploy-specs/definition)"
else
  fail "image carries the delivery definition — $(tail -n 3 "$tmp/def.err")"
  definition='{}'
fi
def() { node -e 'const d = JSON.parse(process.argv[1]); const v = process.argv[2].split(".").reduce((o, k) => o?.[k], d); console.log(v ?? "")' "$definition" "$1"; }
def_port="$(def port)"
def_health="$(def healthCheckPath)"
def_user="$(def user)"
[ -n "$def_port" ] || def_port=8080
[ -n "$def_health" ] || def_health=/healthz

free_port() { node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"; }
# start_container <name> [podman run flags...]: runs the image like the ECS
# task: read-only root and NO writable tmpfs (podman would add /tmp, /run,
# /var/tmp by default), no capabilities, no proxy variables. --no-healthcheck:
# podman would schedule it with systemd timers, which this machine lacks; the
# image's HEALTHCHECK command is run by hand in the checks. Then waits for the
# first 200 on the health path; sets host_port and ready_ms.
start_container() {
  local name="$1"
  shift
  host_port="$(free_port)"
  containers+=("$name")
  podman run -d --name "$name" "${RUN_FLAGS[@]}" \
    --read-only --read-only-tmpfs=false \
    --cap-drop=ALL --security-opt=no-new-privileges \
    --http-proxy=false --no-healthcheck \
    -p "127.0.0.1:${host_port}:${def_port}" "$@" "$IMAGE" >/dev/null ||
    die "podman run failed"
  local started
  started=$(now_ms)
  ready_ms=''
  while [ $(($(now_ms) - started)) -lt 20000 ]; do
    if [ "$(podman inspect --format '{{.State.Running}}' "$name")" != true ]; then
      podman logs "$name" 2>&1 | tail -n 30
      die "container exited during start-up with code $(podman inspect --format '{{.State.ExitCode}}' "$name")"
    fi
    if [ "$(http_get "$def_health")" = 200 ]; then
      ready_ms=$(($(now_ms) - started))
      return 0
    fi
    sleep 0.1
  done
  podman logs "$name" 2>&1 | tail -n 30
  die "no 200 from $def_health on 127.0.0.1:${host_port} within 20 s"
}
# stop_container <name> <label>: SIGTERM via podman stop; must exit 0 well
# before podman would SIGKILL.
stop_container() {
  local name="$1" label="$2" started stop_ms exit_code
  started=$(now_ms)
  podman stop --time "$STOP_TIMEOUT_S" "$name" >/dev/null 2>&1 || true
  stop_ms=$(($(now_ms) - started))
  exit_code="$(podman inspect --format '{{.State.ExitCode}}' "$name")"
  check "$label: podman stop (SIGTERM) gives exit code 0 (after ${stop_ms} ms)" \
    "exit code $exit_code; last log lines: $(podman logs --tail 5 "$name" 2>&1 | tr '\n' ' ')" \
    test "$exit_code" = 0
  check "$label: exits on SIGTERM well before the ${STOP_TIMEOUT_S} s kill" "took ${stop_ms} ms" \
    test "$stop_ms" -lt $((STOP_TIMEOUT_S * 1000 - 2000))
}

start_container "$CONTAINER" -e "APP_COLOR=$APP_COLOR_UNDER_TEST"
echo "127.0.0.1:${host_port} -> ${def_port}; first 200 on $def_health after ${ready_ms} ms (from podman run returning)"

# ---------------------------------------------------------------- 4. checks
phase checks

# Predicates for `check` (they read the variables set just before each use).
healthcheck_uses_path() { [ -n "$def_health" ] && [ "$healthcheck_json" != null ] && grep -qF -- "$def_health" <<<"$healthcheck_json"; }
status_and_body() { [ "$status" = "$1" ] && grep -qF -- "$2" "$tmp/body"; }
node_is_not_root() { [ -n "$node_line" ] && [ "$(cut -d' ' -f2 <<<"$node_line")" != 0 ]; }
init_then_tini() { grep -qE '^1 .*init' "$tmp/ps-init" && grep -qE '^[0-9]+ /usr/bin/tini' "$tmp/ps-init"; }
cannot_write() { ! podman exec "$CONTAINER" sh -c "echo x >> '$1'" 2>/dev/null; }

podman image inspect "$IMAGE" >"$tmp/image.json"
# cfg <js expression over i (the image) and c (its config)>
cfg() { node -e 'const i = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0]; const c = i.Config ?? {}; console.log(eval(process.argv[2]) ?? "")' "$tmp/image.json" "$1"; }
healthcheck_json="$(cfg 'JSON.stringify(i.Healthcheck ?? i.HealthCheck ?? c.Healthcheck ?? null)')"
image_user="$(cfg 'c.User')"
check "image USER is set and not root (USER=${image_user:-<none>})" "run as root by default" \
  test -n "$image_user" -a "$image_user" != root -a "$image_user" != 0
check "image EXPOSEs the definition's port ${def_port}/tcp" "ExposedPorts: $(cfg 'Object.keys(c.ExposedPorts ?? {}).join(",")')" \
  test "$(cfg "c.ExposedPorts?.['${def_port}/tcp'] ? 'yes' : ''")" = yes
check "image has a HEALTHCHECK on the definition's path ${def_health}" "Healthcheck: $healthcheck_json" \
  healthcheck_uses_path
# Timings, when the definition has them (ECS uses the task definition's; the
# image's serve docker/podman, and should not tell a different story).
# shellcheck disable=SC2016 # a JS template literal, not shell
hc_timings="$(node -e '
  const d = JSON.parse(process.argv[1]).healthCheck;
  const i = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"))[0];
  const h = i.Healthcheck ?? i.HealthCheck ?? {};
  if (!d) { console.log("skip"); process.exit(0); }
  const s = (ns) => (ns ?? 0) / 1e9;
  const want = [d.intervalSeconds, d.timeoutSeconds, d.retries, d.startPeriodSeconds].join("/");
  const got = [s(h.Interval), s(h.Timeout), h.Retries, s(h.StartPeriod)].join("/");
  console.log(want === got ? "ok" : `image ${got} vs definition ${want} (interval/timeout/retries/start period)`);' "$definition" "$tmp/image.json")"
if [ "$hc_timings" = skip ]; then
  echo "  SKIP  HEALTHCHECK timings: the definition has no container.healthCheck"
else
  check "image HEALTHCHECK timings equal the definition's container.healthCheck" "$hc_timings" test "$hc_timings" = ok
fi
check "image sets NODE_ENV=production" "Env: $(cfg 'c.Env.join(" ")')" \
  test "$(cfg 'c.Env.includes("NODE_ENV=production") ? "yes" : ""')" = yes
check "image CMD is exec-form node" "Cmd: $(cfg 'JSON.stringify(c.Cmd)')" \
  test "$(cfg 'c.Cmd?.[0]')" = node

status="$(http_get /)"
hostname="$(podman inspect --format '{{.Config.Hostname}}' "$CONTAINER")"
check "GET / answers 200" "got $status" test "$status" = 200
check "GET / shows 'Hello from ${hostname}!'" "heading not in the page: $(head -c 300 "$tmp/body")" \
  grep -qF "Hello from ${hostname}!" "$tmp/body"
check "GET / shows APP_VERSION" "'$APP_VERSION' not in the page" grep -qF -- "$APP_VERSION" "$tmp/body"

status="$(http_get "$def_health")"
healthz="$(cat "$tmp/body")"
json() { node -e 'try { console.log(JSON.parse(process.argv[1])[process.argv[2]] ?? "") } catch { console.log("") }' "$healthz" "$1"; }
check "GET ${def_health} answers 200" "got $status" test "$status" = 200
check "GET ${def_health} says status ok" "body: $healthz" test "$(json status)" = ok
check "APP_VERSION build arg arrived (${def_health} version = $APP_VERSION)" "body: $healthz" \
  test "$(json version)" = "$APP_VERSION"
check "APP_COLOR arrived (${def_health} color = $APP_COLOR_UNDER_TEST)" "body: $healthz" \
  test "$(json color)" = "$APP_COLOR_UNDER_TEST"

status="$(http_get /version)"
check "GET /version answers 200 with APP_VERSION" "got $status: $(head -c 200 "$tmp/body")" \
  status_and_body 200 "$APP_VERSION"

uid="$(podman exec "$CONTAINER" id -u 2>&1 || true)"
check "exec'd process runs as uid ${uid} = the definition's user ${def_user:-?}, not 0" "id -u gave '$uid'" \
  test "$uid" != 0 -a "$uid" = "$def_user"
# Every process in the container: PID 1 must be the init, node must not be root.
podman exec "$CONTAINER" sh -c 'for s in /proc/[0-9]*/status; do
    pid=${s#/proc/}; pid=${pid%/status}
    printf "%s %s %s\n" "$pid" "$(awk "/^Uid:/ { print \$2 }" "$s")" "$(tr "\0" " " < /proc/$pid/cmdline)"
  done' 2>&1 | grep -a -v /proc/ >"$tmp/ps" || true
node_line="$(grep -E '^[0-9]+ [0-9]+ node ' "$tmp/ps" | head -n1 || true)"
pid1_line="$(grep -E '^1 ' "$tmp/ps" || true)"
check "node runs as a non-root uid ($(echo "$node_line" | cut -d' ' -f1-2 | sed 's/ / uid /;s/^/pid /'))" "processes: $(tr '\n' ';' <"$tmp/ps")" \
  node_is_not_root
check "PID 1 is an init (tini) that forwards signals to node" "PID 1: $pid1_line" \
  grep -q tini <<<"$pid1_line"

check "root filesystem is read-only (writing /app fails)" "the write succeeded" \
  cannot_write /app/.write-test
check "no writable /tmp either (ECS gives none)" "the write succeeded" \
  cannot_write /tmp/.write-test

# The image's own HEALTHCHECK command, exec'd in the running container as the
# runtime would (CMD: argv; CMD-SHELL: /bin/sh -c).
mapfile -d '' -t hc_cmd < <(node -e '
  const i = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0];
  const t = (i.Healthcheck ?? i.HealthCheck ?? {}).Test ?? [];
  const argv = t[0] === "CMD-SHELL" ? ["/bin/sh", "-c", t[1]] : t[0] === "CMD" ? t.slice(1) : [];
  process.stdout.write(argv.map((a) => a + "\0").join(""));' "$tmp/image.json")
if [ "${#hc_cmd[@]}" -gt 0 ] && [ -n "${hc_cmd[0]}" ]; then
  hc_out="$(podman exec "$CONTAINER" "${hc_cmd[@]}" 2>&1)" && hc_rc=0 || hc_rc=$?
else
  hc_out='no HEALTHCHECK in the image' hc_rc=none
fi
check "the image's HEALTHCHECK command succeeds inside the running container" "exit $hc_rc: $hc_out" test "$hc_rc" = 0

leftovers="$(podman exec "$CONTAINER" sh -c '
  command -v pnpm turbo 2>/dev/null
  ls -d /app/src /app/test /app/tsconfig.json /root/.local/share/pnpm /pnpm 2>/dev/null
  ls /app/node_modules/.pnpm 2>/dev/null | grep -E "^(typescript|vitest|tsx|turbo|eslint|supertest|autocannon|playwright-core)@"
  true' 2>&1)"
check "image has no pnpm, store, sources or dev dependencies" "found: $(echo "$leftovers" | tr '\n' ' ')" \
  test -z "$leftovers"
app_writable="$(podman exec "$CONTAINER" find /app -maxdepth 2 \! -type l \( -user "${def_user:-1000}" -o -perm -o+w \) -print 2>&1 | head -n 5)"
check "app files are owned by root and not world-writable (the app cannot modify itself)" "found: $(echo "$app_writable" | tr '\n' ' ')" \
  test -z "$app_writable"

image_size="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
base_size="$(podman image inspect --format '{{.Size}}' "$base_image")"
echo "  info  image $IMAGE: $((image_size / 1000000)) MB (base $((base_size / 1000000)) MB, app layers $(((image_size - base_size) / 1000000)) MB)"

# ---------------------------------------------------------------- 5. stop
phase stop
stop_container "$CONTAINER" "tini as PID 1"
if [ "$failures" -gt 0 ]; then
  echo "  container log (last 20 lines):"
  podman logs "$CONTAINER" 2>&1 | tail -n 20 | sed 's/^/    /'
fi

# On ECS, initProcessEnabled (set in the task definition) makes the runtime's
# own init PID 1 and the image's tini its child: the same as `podman run
# --init`. Signals must still reach node, and tini must not complain.
phase 'stop (ECS init)'
start_container "$CONTAINER-init" --init
podman exec "$CONTAINER-init" sh -c 'for p in /proc/[0-9]*/cmdline; do echo "${p#/proc/} $(tr "\0" " " <"$p")"; done' 2>&1 |
  grep -a -v /proc/ | sed 's:/cmdline::' | sort -n >"$tmp/ps-init" || true
check "with --init: PID 1 is the runtime's init, tini runs under it" "processes: $(tr '\n' ';' <"$tmp/ps-init")" \
  init_then_tini
stop_container "$CONTAINER-init" "with --init"
check "with --init: tini prints no warnings" "$(podman logs "$CONTAINER-init" 2>&1 | grep -i tini | head -n 3)" \
  sh -c "! podman logs '$CONTAINER-init' 2>&1 | grep -qi tini"

summary
[ "$failures" = 0 ]
