#!/bin/sh
# Installs the offline validators the collector tests need (promtool, amtool, prometheus) from Debian.
# Idempotent and quiet; never leaves a Prometheus/Alertmanager daemon running (tests start their own).
set -eu

if command -v promtool >/dev/null 2>&1 && command -v amtool >/dev/null 2>&1 && [ -x /usr/bin/prometheus ]; then
  exit 0
fi

[ "$(id -u)" -eq 0 ] || { echo "collector-deps: needs root to apt-get install prometheus" >&2; exit 1; }

# Debian's postinst would start the services (init script / systemd) and hold :9090/:9093.
# policy-rc.d exit 101 = "action forbidden": the standard way to install without starting daemons.
# Keep any policy-rc.d already present.
POLICY=/usr/sbin/policy-rc.d
CREATED_POLICY=0
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$POLICY"
  chmod 755 "$POLICY"
  CREATED_POLICY=1
fi
cleanup() { [ "$CREATED_POLICY" -eq 1 ] && rm -f "$POLICY"; return 0; }
trap cleanup EXIT INT TERM

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# --no-install-recommends: skips prometheus-node-exporter, which would be another daemon.
apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager >/dev/null

# Belt and braces: if a daemon got started anyway (no policy-rc.d honoured), stop it.
for svc in prometheus prometheus-alertmanager; do
  if [ -x "/etc/init.d/$svc" ]; then "/etc/init.d/$svc" stop >/dev/null 2>&1 || true; fi
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl stop "$svc" >/dev/null 2>&1 || true
    systemctl disable "$svc" >/dev/null 2>&1 || true
  fi
done

promtool --version >/dev/null 2>&1
amtool --version >/dev/null 2>&1
