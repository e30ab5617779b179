#!/usr/bin/env bash
# An S3-compatible server for the storage tests: moto's server mode (`python3 -m moto.server`),
# on 127.0.0.1:${S3_TEST_PORT:-9000}. Idempotent: a server already answering there is reused.
# Prints the endpoint for S3_TEST_ENDPOINT on stdout; everything else goes to stderr.
#
#   export S3_TEST_ENDPOINT=$(bash scripts/s3-test-server.sh)
#   npx vitest run lib/server/storage/s3
#
# Why moto: it is a real HTTP server speaking the S3 REST API (multipart uploads, conditional
# writes with If-None-Match, HEAD, DELETE, ListObjectsV2, ListMultipartUploads, presigned GET),
# and it is on the project's machines already (pip, Python 3.11), with no network needed.
# MinIO has no Debian or npm package; s3rver (npm) has no conditional writes. Two gaps of
# moto's: it does not check a presigned URL's signature or expiry (s3-presign.test.ts runs
# s3rver in process for that), and it reports a fixed Initiated time for multipart uploads.
# Any other S3-compatible server works too: set S3_TEST_ENDPOINT (and S3_TEST_ACCESS_KEY_ID,
# S3_TEST_SECRET_ACCESS_KEY for a MinIO) instead of running this script.
set -euo pipefail

port="${S3_TEST_PORT:-9000}"
endpoint="http://127.0.0.1:${port}"
log="${TMPDIR:-/tmp}/proofsheet-s3-test-server.log"

# A Python with moto's server (flask, flask_cors) installed: pyenv's or the system's.
python=""
for candidate in python3 "${HOME:-/root}/.pyenv/shims/python3" python3.11 /usr/local/bin/python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import moto.server, flask, flask_cors' >/dev/null 2>&1; then
    python="$candidate"
    break
  fi
done
if [ -z "$python" ]; then
  echo "s3-test-server: no Python with moto's server mode (moto, flask, flask-cors) on this machine." >&2
  echo "s3-test-server: install it (pip install 'moto[server]'), or point S3_TEST_ENDPOINT at another S3-compatible server." >&2
  exit 1
fi

# Any HTTP answer on the endpoint (moto answers GET / with its bucket list).
ready() {
  "$python" - "$endpoint" <<'PY' >/dev/null 2>&1
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1] + "/", timeout=2)
except urllib.error.HTTPError:
    pass
PY
}

if ready; then
  echo "s3-test-server: reusing the server on ${endpoint}" >&2
  echo "$endpoint"
  exit 0
fi

echo "s3-test-server: starting moto on ${endpoint} (log: ${log})" >&2
nohup "$python" -m moto.server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
for _ in $(seq 1 60); do
  if ready; then
    echo "$endpoint"
    exit 0
  fi
  sleep 0.5
done
echo "s3-test-server: moto did not answer on ${endpoint} within 30 s; its log:" >&2
tail -n 20 "$log" >&2 || true
exit 1
