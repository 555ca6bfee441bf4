#!/usr/bin/env bash
# Installs what the tests need beyond the .NET 10 SDK: Debian's Jupyter client (to run the notebooks in Jupyter),
# headless Chromium (to check the HTML pages), and the other system tools the tests call. Idempotent; needs root
# (or sudo) and Debian/Ubuntu's apt. Tests that find a piece missing fail with this command.
set -euo pipefail
packages=(
  jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel
  chromium
  bubblewrap
  jq
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
  echo "install-test-deps: installing ${missing[*]}"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-test-deps: all present (${packages[*]})"
fi
