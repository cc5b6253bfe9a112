#!/usr/bin/env bash
# Installs what the headless-browser test needs: Debian's chromium and playwright-core.
# Idempotent and quick when everything is there.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

if [ ! -x /usr/bin/chromium ]; then
  echo "install-e2e-deps: installing chromium (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
echo "install-e2e-deps: $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium missing')"

if [ ! -d "$here/e2e/node_modules/playwright-core" ] || [ ! -f "$here/e2e/node_modules/axe-core/axe.min.js" ]; then
  echo "install-e2e-deps: npm ci in e2e/"
  (cd "$here/e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "install-e2e-deps: playwright-core $(node -p "require('$here/e2e/node_modules/playwright-core/package.json').version"), axe-core $(node -p "require('$here/e2e/node_modules/axe-core/package.json').version")"

# An independent iCalendar parser for the calendar export tests.
# dateutil expands RRULEs in the recurring-days test.
if ! python3 -c "import icalendar, dateutil" 2>/dev/null; then
  echo "install-e2e-deps: pip install icalendar python-dateutil"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore icalendar python-dateutil
fi
echo "install-e2e-deps: python icalendar $(python3 -c 'import icalendar; print(icalendar.__version__)')"

# The API contract tests: schemathesis drives the server from its OpenAPI document, and
# openapi-spec-validator checks the document itself. Pinned so a run is repeatable.
if ! python3 -c "import schemathesis, openapi_spec_validator" 2>/dev/null \
   || [ "$(python3 -c 'import importlib.metadata as m; print(m.version("schemathesis"))')" != "4.32.5" ]; then
  echo "install-e2e-deps: pip install schemathesis openapi-spec-validator"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    schemathesis==4.32.5 openapi-spec-validator==0.9.0
fi
echo "install-e2e-deps: schemathesis $(python3 -c 'import importlib.metadata as m; print(m.version("schemathesis"))'), openapi-spec-validator $(python3 -c 'import importlib.metadata as m; print(m.version("openapi-spec-validator"))')"
if ! command -v schemathesis >/dev/null; then
  echo "install-e2e-deps: the schemathesis command is not on PATH ($(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'))" >&2
  exit 1
fi
