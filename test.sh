#!/usr/bin/env bash
# Runs every test: installs what the tests need when it is missing, then ./mvnw verify.
#
#   ./test.sh                  # on the JDK in JAVA_HOME, or the java on the PATH (17 or later)
#   ./test.sh -pl sample-app   # extra arguments go to ./mvnw verify
#
# Besides a JDK the tests need three programs, installed here with apt-get (Debian/Ubuntu) when missing:
#   redis-server               the Redis tests start their own on a free port (Testcontainers instead when a Docker
#                              engine answers); REDIS_SERVER may name the binary instead of the PATH
#   memcached                  the Memcached tests start their own on a free port; MEMCACHED_SERVER may name the binary
#   chromium, chromium-driver  /usr/bin/chromium and /usr/bin/chromedriver, for the sample's dashboard browser test
# Installing needs root, or sudo without a password; otherwise the script says what to install and stops.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
if [ -n "${REDIS_SERVER:-}" ]; then
  [ -x "$REDIS_SERVER" ] || { echo "REDIS_SERVER=$REDIS_SERVER is not an executable file" >&2; exit 1; }
elif ! command -v redis-server >/dev/null 2>&1; then
  missing+=(redis-server)
fi
if [ -n "${MEMCACHED_SERVER:-}" ]; then
  [ -x "$MEMCACHED_SERVER" ] || { echo "MEMCACHED_SERVER=$MEMCACHED_SERVER is not an executable file" >&2; exit 1; }
elif ! command -v memcached >/dev/null 2>&1 && [ ! -x /usr/bin/memcached ]; then
  missing+=(memcached)
fi
# The browser test uses these exact paths (Debian's packages).
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo -n "$@"
  fi
}

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "The tests need ${missing[*]}, and this is not a Debian/Ubuntu system (no apt-get):" >&2
    echo "install them with your package manager, then run $0 again." >&2
    exit 1
  fi
  if [ "$(id -u)" -ne 0 ] && ! { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
    echo "The tests need ${missing[*]}. Install them as root, then run $0 again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "== installing ${missing[*]} (apt-get)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"
echo "== ./mvnw verify $* on $("$java_cmd" -version 2>&1 | head -1)"
exec ./mvnw verify "$@"
