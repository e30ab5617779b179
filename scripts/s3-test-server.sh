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
# Without moto (a clean machine), it falls back to s3rver from node_modules, which accepts the
# tests' key pair (scripts/s3rver-test-server.mjs); S3_TEST_SERVER=s3rver forces that. s3rver
# lacks conditional writes and ListMultipartUploads, so the S3 store's tests of those fail
# there: CI should have moto.
# Any other S3-compatible server works too: set S3_TEST_ENDPOINT (and S3_TEST_ACCESS_KEY_ID,
# S3_TEST_SECRET_ACCESS_KEY for a MinIO) instead of running this script.
set -euo pipefail

port="${S3_TEST_PORT:-9000}"
endpoint="http://127.0.0.1:${port}"
log="${TMPDIR:-/tmp}/proofsheet-s3-test-server.log"

# A Python with moto's server (flask, flask_cors) installed: pyenv's or the system's. Without
# one (or with S3_TEST_SERVER=s3rver), s3rver from node_modules (scripts/s3rver-test-server.mjs).
python=""
if [ "${S3_TEST_SERVER:-}" != "s3rver" ]; then
  for candidate in python3 "${HOME:-/root}/.pyenv/shims/python3" python3.11 /usr/local/bin/python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import moto.server, flask, flask_cors' >/dev/null 2>&1; then
      python="$candidate"
      break
    fi
  done
fi

# Any HTTP answer on the endpoint (moto answers GET / with its bucket list, s3rver with 403).
ready() {
  node -e 'fetch(process.argv[1] + "/", { signal: AbortSignal.timeout(2000) }).then(() => process.exit(0), () => process.exit(1))' "$endpoint" >/dev/null 2>&1
}

if ready; then
  echo "s3-test-server: reusing the server on ${endpoint}" >&2
  echo "$endpoint"
  exit 0
fi

if [ -n "$python" ]; then
  name=moto
  echo "s3-test-server: starting moto on ${endpoint} (log: ${log})" >&2
  setsid nohup "$python" -m moto.server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
else
  name=s3rver
  echo "s3-test-server: no Python with moto's server mode (pip install 'moto[server]'); starting s3rver on ${endpoint} (log: ${log})" >&2
  S3_TEST_PORT="$port" setsid nohup node "$(dirname "$0")/s3rver-test-server.mjs" >"$log" 2>&1 &
fi
for _ in $(seq 1 60); do
  if ready; then
    echo "$endpoint"
    exit 0
  fi
  sleep 0.5
done
echo "s3-test-server: ${name} did not answer on ${endpoint} within 30 s; its log:" >&2
tail -n 20 "$log" >&2 || true
exit 1
