#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager and kube-scheduler from Debian's `kubernetes` source package with Debian's Go,
# once, into $KAITO_KUBE_CACHE (default $HOME/.cache/kaito-kube/<debian version>). Later runs find the cache and exit.
# Prints the cache folder on its last line.
set -euo pipefail

log() { echo "[kube-build] $*" >&2; }
export DEBIAN_FRONTEND=noninteractive
sudo_if() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_deb_src() {
  if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    log "adding a deb-src entry for bookworm main"
    sudo_if tee /etc/apt/sources.list.d/kaito-deb-src.sources >/dev/null <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    sudo_if apt-get update -qq
  fi
}

tools_needed=()
for t in go rsync jq make openssl dpkg-source etcd curl; do command -v "$t" >/dev/null || tools_needed+=("$t"); done
if [ ${#tools_needed[@]} -gt 0 ] || [ ! -d /usr/share/gocode/src/github.com/modern-go/reflect2 ]; then
  log "installing build tools (${tools_needed[*]:-reflect2})"
  sudo_if apt-get update -qq
  sudo_if apt-get install -y -qq golang-go rsync jq make openssl dpkg-dev etcd-server curl \
    golang-github-modern-go-reflect2-dev >/dev/null
fi
ensure_deb_src

version=$(apt-cache showsrc kubernetes 2>/dev/null | awk '/^Version:/ {print $2; exit}')
[ -n "$version" ] || { log "apt-cache showsrc kubernetes found nothing"; exit 1; }
cache=${KAITO_KUBE_CACHE:-$HOME/.cache/kaito-kube/$version}
if [ -x "$cache/kube-apiserver" ] && [ -x "$cache/kube-controller-manager" ] && [ -x "$cache/kube-scheduler" ]; then
  log "cached: $cache"; echo "$cache"; exit 0
fi

work=$(mktemp -d /tmp/kaito-kube-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
log "fetching the kubernetes $version source package"
apt-get source --download-only -qq kubernetes >/dev/null
tarball=$(ls kubernetes_*.orig.tar.* | head -1)
mkdir src && tar -xf "$tarball" -C src --strip-components=1
cd src

log "replacing vendored reflect2 1.0.1 (crashes with Go >= 1.18) by Debian's 1.0.2"
rm -f vendor/github.com/modern-go/reflect2/*.go vendor/github.com/modern-go/reflect2/*.s
cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.go vendor/github.com/modern-go/reflect2/
cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.s vendor/github.com/modern-go/reflect2/ 2>/dev/null || true
sed -i 's#github.com/modern-go/reflect2 v1.0.1#github.com/modern-go/reflect2 v1.0.2#' vendor/modules.txt go.mod

log "building (about 13 minutes on 2 quiet cores)"
mkdir -p "$work/home"
HOME="$work/home" CGO_ENABLED=0 GOPROXY=off GOFLAGS= \
  make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler" >"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; exit 1; }

mkdir -p "$cache"
cp _output/bin/kube-apiserver _output/bin/kube-controller-manager _output/bin/kube-scheduler "$cache/"
log "built into $cache"
echo "$cache"
