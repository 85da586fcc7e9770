#!/usr/bin/env bash
# Runs Drip's whole test suite on a fresh Debian 12 machine that has only the .NET 10 SDK.
# The integration tests send through a real Postfix on 127.0.0.1 and read bounces from a real Dovecot
# IMAP server, so both are installed first when missing (as root, or through sudo). Neither is started
# as a system service: the tests run private instances on free loopback ports.
# The browser tests drive Debian's Chromium through Playwright (which cannot download its own browser
# here), so it is installed the same way when missing. They save a picture of every page they visit in
# TestResults/screenshots.
# Ends with the line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=()
[ -x /usr/sbin/postfix ] || missing+=(postfix)
[ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (real SMTP and IMAP servers and a real browser for the tests)..."
  $SUDO apt-get update -qq
  # "No configuration": the package must not write /etc/postfix/main.cf or start a system daemon.
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Fresh results each run; the browser tests write their screenshots into TestResults/screenshots afterwards.
rm -rf TestResults
status=0
dotnet test Drip.sln --logger trx --results-directory TestResults || status=$?

passed=0
failed=0
for trx in TestResults/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" || true)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
echo "$passed passed, $failed failed"
exit $status
