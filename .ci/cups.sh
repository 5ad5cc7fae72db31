#!/usr/bin/env bash
# Start CUPS with a PDF printer (cups-pdf) for the printing tests and print its output folder.
# Used by .ci/run; a developer (as root, Debian/Ubuntu) can run it too:
#   export CSOFFICE_TEST_PRINTER=csoffice-pdf CSOFFICE_TEST_PRINTER_DIR=$(bash .ci/cups.sh)
set -euo pipefail
queue=${CSOFFICE_TEST_PRINTER:-csoffice-pdf}
outdir=/var/spool/cups-pdf-out
if ! command -v cupsd >/dev/null 2>&1 || [ ! -e /usr/lib/cups/backend/cups-pdf ]; then
  apt-get install -y -qq --no-install-recommends cups cups-client cups-bsd printer-driver-cups-pdf >/dev/null
fi
mkdir -p "$outdir"
chmod 1777 "$outdir"
# Every job lands in one folder, named after the job, whoever printed it.
sed -i -E "s|^#?Out .*|Out ${outdir}|; s|^#?AnonDirName .*|AnonDirName ${outdir}|; s|^#?Label .*|Label 1|; s|^#?UserUMask .*|UserUMask 0000|" /etc/cups/cups-pdf.conf
if ! pgrep -x cupsd >/dev/null 2>&1; then
  cupsd
fi
for _ in $(seq 1 30); do
  lpstat -r >/dev/null 2>&1 && break
  sleep 0.5
done
if ! lpstat -p "$queue" >/dev/null 2>&1; then
  ppd=$(ls /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd /usr/share/ppd/cups-pdf/*.ppd 2>/dev/null | head -1)
  lpadmin -p "$queue" -v cups-pdf:/ -E -P "$ppd"
fi
cupsenable "$queue" >/dev/null 2>&1 || true
cupsaccept "$queue" >/dev/null 2>&1 || true
lpadmin -d "$queue"
echo "$outdir"
