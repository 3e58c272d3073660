#!/usr/bin/env bash
# Prints the path of a Python 3.8-3.10 interpreter (Rasa 3.6 supports no other), or explains what to install.
set -u

fits() {  # usable interpreter in the 3.8-3.10 range? (a pyenv shim without a selected version fails here)
    "$1" -c 'import sys, venv; sys.exit(0 if (3, 8) <= sys.version_info[:2] <= (3, 10) else 1)' >/dev/null 2>&1
}

candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root)
    for dir in $(ls -d "$root"/versions/3.10.* "$root"/versions/3.9.* "$root"/versions/3.8.* 2>/dev/null | sort -rV); do
        candidates+=("$dir/bin/python")
    done
fi
for name in python3.10 python3.9 python3.8 python3; do
    path=$(command -v "$name" 2>/dev/null) && candidates+=("$path")
done

for candidate in "${candidates[@]}"; do
    if fits "$candidate"; then
        echo "$candidate"
        exit 0
    fi
done

cat >&2 <<'MSG'
No Python 3.8, 3.9 or 3.10 found: Rasa 3.6 runs on no other version.
Install one, then run the command again, for example:
  - with pyenv:  pyenv install 3.10.13
  - on Debian/Ubuntu:  apt-get install python3.10 python3.10-venv   (where your release ships it)
  - or point to one:  PYTHON=/path/to/python3.10 make install
MSG
exit 1
