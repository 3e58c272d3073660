#!/usr/bin/env bash
# Installs Debian's PostgreSQL and Redis servers for the scale-out tests (harness/services.py), only when missing.
# The tests start their own throw-away servers on free loopback ports, so the Debian-managed services are
# neither needed nor wanted: they are kept from starting during the install (no systemd in containers anyway).
# Installs only as root (CI, containers); otherwise says what to run and fails.
set -euo pipefail

packages=()
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    packages+=(postgresql)
fi
if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
    packages+=(redis-server)
fi
if [ ${#packages[@]} -eq 0 ]; then
    echo "PostgreSQL: $(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    echo "Redis: $(command -v redis-server || echo /usr/bin/redis-server)"
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing ${packages[*]}, needed by the scale-out tests. Install with:" >&2
    echo "    sudo apt-get install -y --no-install-recommends ${packages[*]}" >&2
    exit 1
fi

# invoke-rc.d asks /usr/sbin/policy-rc.d whether a package's postinst may start its service; 101 means no.
# Docker images usually ship one; if this machine has none, put one in place for the install only.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# Temporary, from scripts/install_services.sh: no service starts during the install.\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
fi

echo "Installing ${packages[*]} from Debian's packages..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}"
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
command -v redis-server >/dev/null 2>&1 || test -x /usr/bin/redis-server
