#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine for feedgate: the Debian packages the app and its tests
# need, the npm dependencies, and (best effort) Electron's own binary. Safe to run again:
# anything already present is left as it is.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'setup: %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------
# chromium: browser host and end-to-end tests; slapd + ldap-utils: LDAP directory tests;
# openssl: the LDAP test fixture's self-signed certificate;
# libsecret-1-dev + gnome-keyring + dbus-x11: keytar and its Secret Service;
# xvfb + xauth: headed runs and window screenshots.
PACKAGES=(chromium slapd ldap-utils openssl libsecret-1-dev gnome-keyring dbus-x11 xvfb xauth)

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  fi
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg -s "$pkg" >/dev/null 2>&1; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && [ "${#SUDO[@]}" -eq 0 ]; then
    log "missing Debian packages (${missing[*]}) and neither root nor sudo is available" >&2
    exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  slapd_was_missing=false
  for pkg in "${missing[@]}"; do
    if [ "$pkg" = slapd ]; then slapd_was_missing=true; fi
  done
  if [ "$slapd_was_missing" = true ]; then
    # No system directory is configured: the tests start their own slapd on 127.0.0.1.
    printf '%s\n' 'slapd slapd/no_configuration boolean true' | "${SUDO[@]}" debconf-set-selections
  fi
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
  if [ "$slapd_was_missing" = true ]; then
    # Leave no system slapd running or starting at boot.
    if command -v service >/dev/null 2>&1; then
      "${SUDO[@]}" service slapd stop >/dev/null 2>&1 || true
    fi
    if command -v update-rc.d >/dev/null 2>&1; then
      "${SUDO[@]}" update-rc.d slapd disable >/dev/null 2>&1 || true
    fi
  fi
else
  log "Debian packages already installed"
fi

# --- npm dependencies ------------------------------------------------------------------------
# Native addons build from source with node-gyp against Node's own headers: without a nodedir
# node-gyp tries to download the headers, which these machines cannot.
npm_args=(ci --no-audit --no-fund)
nodedir="$(npm config get nodedir 2>/dev/null || true)"
if { [ -z "$nodedir" ] || [ "$nodedir" = undefined ] || [ "$nodedir" = null ]; } &&
  [ -f /usr/include/node/node.h ]; then
  npm_args+=(--nodedir=/usr)
fi
log "npm ${npm_args[*]}"
ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm "${npm_args[@]}"

# --- Electron's binary (optional) ------------------------------------------------------------
# Its download host may be unreachable: then `npm start` uses the browser host instead.
if env -u ELECTRON_SKIP_BINARY_DOWNLOAD timeout 120 node node_modules/electron/install.js \
  >/dev/null 2>&1; then
  log "Electron binary installed"
else
  log "Electron binary not available (offline?): the app will run in the browser host"
fi

log "done"
