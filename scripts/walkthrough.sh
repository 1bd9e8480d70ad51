#!/usr/bin/env bash
# The README's curl walk-through, step by step and checked, against a running `make run`: sign up,
# verify the email with the emailed code, log in, read and change your profile, refresh the
# tokens, log out.
#
#   scripts/walkthrough.sh [BASE_URL] [SERVER_LOG]
#
# BASE_URL defaults to http://127.0.0.1:8000. In development, emails are printed to the server's
# console: with SERVER_LOG (a file holding the server's output) the code is read from there;
# without it, the script asks you to copy the code from the `make run` terminal.
# Needs only bash, curl and python3 (for JSON).
set -euo pipefail

BASE_URL="${1:-http://127.0.0.1:8000}"
BASE_URL="${BASE_URL%/}"
SERVER_LOG="${2:-}"
AUTH="$BASE_URL/_allauth/app/v1/auth"
CODE_WAIT_SECONDS=20

BODY_FILE="$(mktemp)"
trap 'rm -f "$BODY_FILE"' EXIT

step() { printf '\n==> %s\n' "$*"; }
fail() {
	printf 'walkthrough: %s\n' "$*" >&2
	exit 1
}

# call METHOD URL [JSON_BODY] [HEADER...]: the response body lands in $BODY_FILE, the
# status in $STATUS, and both are printed (tokens shortened, they are long and not the point).
call() {
	local method="$1" url="$2" body="${3:-}"
	shift $(($# < 3 ? $# : 3))
	local args=(-sS -X "$method" -o "$BODY_FILE" -w '%{http_code}' -H 'Accept: application/json')
	local header
	for header in "$@"; do args+=(-H "$header"); done
	if [[ -n "$body" ]]; then args+=(-H 'Content-Type: application/json' --data "$body"); fi
	printf '%s %s\n' "$method" "$url"
	STATUS="$(curl "${args[@]}" "$url")"
	printf 'HTTP %s\n' "$STATUS"
	python3 - "$BODY_FILE" <<-'PY'
		import json, sys

		def shorten(value, key=""):
		    if isinstance(value, dict):
		        return {k: shorten(v, k) for k, v in value.items()}
		    if isinstance(value, list):
		        return [shorten(v) for v in value]
		    if key.endswith("token") and isinstance(value, str) and len(value) > 24:
		        return value[:16] + "..."
		    return value

		raw = open(sys.argv[1], encoding="utf-8").read()
		try:
		    print(json.dumps(shorten(json.loads(raw)), indent=2))
		except ValueError:
		    print(raw[:500])
	PY
}

# json_field DOTTED.PATH: a value from the last response body ("" if absent).
json_field() {
	python3 - "$BODY_FILE" "$1" <<-'PY'
		import json, sys

		value = json.load(open(sys.argv[1], encoding="utf-8"))
		for part in sys.argv[2].split("."):
		    value = value.get(part) if isinstance(value, dict) else None
		print("" if value is None else value)
	PY
}

expect_status() {
	[[ "$STATUS" == "$1" ]] || fail "expected HTTP $1 from the last call, got $STATUS"
}

# The console email backend prints each message followed by a line of dashes. Take the last
# message addressed to $1 and return the code: the line that is nothing but a code.
code_from_log() {
	python3 - "$SERVER_LOG" "$1" <<-'PY'
		import re, sys

		log_path, email = sys.argv[1], sys.argv[2]
		lines = open(log_path, encoding="utf-8", errors="replace").read().splitlines()
		starts = [i for i, line in enumerate(lines) if line.startswith("To:") and email in line]
		if starts:
		    for line in lines[starts[-1] + 1 :]:
		        if re.fullmatch(r"-{20,}", line.strip()):
		            break
		        if re.fullmatch(r"[A-Z0-9]{2,}(?:-[A-Z0-9]{2,})*", line.strip()) and len(line.strip()) >= 6:
		            print(line.strip())
		            break
	PY
}

RANDOM_PART="$(python3 -c 'import secrets; print(secrets.token_hex(4))')"
EMAIL="walkthrough-$RANDOM_PART@example.com"
PASSWORD="$(python3 -c 'import secrets; print("walk-" + secrets.token_urlsafe(12))')"

step "1. Sign up as $EMAIL"
call POST "$AUTH/signup" "{\"email\": \"$EMAIL\", \"password\": \"$PASSWORD\",
	\"display_name\": \"Robin\", \"time_zone\": \"Europe/Lisbon\"}"
# 401 is expected: the account exists but is not signed in until its email is confirmed.
expect_status 401
SESSION_TOKEN="$(json_field meta.session_token)"
[[ -n "$SESSION_TOKEN" ]] || fail "signup returned no meta.session_token"
python3 - "$BODY_FILE" <<-'PY' || fail "signup did not leave a pending verify_email flow"
	import json, sys

	flows = json.load(open(sys.argv[1], encoding="utf-8"))["data"]["flows"]
	sys.exit(0 if any(f["id"] == "verify_email" and f.get("is_pending") for f in flows) else 1)
PY

step "2. Verify with the code from the console email"
CODE=""
if [[ -n "$SERVER_LOG" ]]; then
	for _ in $(seq $((CODE_WAIT_SECONDS * 2))); do
		CODE="$(code_from_log "$EMAIL")"
		[[ -n "$CODE" ]] && break
		sleep 0.5
	done
	[[ -n "$CODE" ]] || fail "no code in an email to $EMAIL in $SERVER_LOG after ${CODE_WAIT_SECONDS}s"
else
	read -r -p "Code from the email printed in the make run terminal: " CODE
fi
printf 'code: %s\n' "$CODE"
call POST "$AUTH/email/verify" "{\"key\": \"$CODE\"}" "X-Session-Token: $SESSION_TOKEN"
expect_status 200

step "3. Log in"
call POST "$AUTH/login" "{\"email\": \"$EMAIL\", \"password\": \"$PASSWORD\"}"
expect_status 200
ACCESS_TOKEN="$(json_field meta.access_token)"
REFRESH_TOKEN="$(json_field meta.refresh_token)"
[[ -n "$ACCESS_TOKEN" && -n "$REFRESH_TOKEN" ]] || fail "login returned no access/refresh token"

step "4. Who am I?"
call GET "$BASE_URL/api/v1/me" "" "Authorization: Bearer $ACCESS_TOKEN"
expect_status 200
[[ "$(json_field email)" == "$EMAIL" ]] || fail "/api/v1/me did not return $EMAIL"
[[ "$(json_field display_name)" == "Robin" ]] || fail "the sign-up display name was not kept"
[[ "$(json_field time_zone)" == "Europe/Lisbon" ]] || fail "the sign-up time zone was not kept"

step "5. Change what is yours to change"
call PATCH "$BASE_URL/api/v1/me" '{"time_zone": "America/New_York"}' \
	"Authorization: Bearer $ACCESS_TOKEN"
expect_status 200
[[ "$(json_field time_zone)" == "America/New_York" ]] || fail "the time zone did not change"

step "6. Trade the refresh token for a new pair"
call POST "$BASE_URL/_allauth/app/v1/tokens/refresh" "{\"refresh_token\": \"$REFRESH_TOKEN\"}"
expect_status 200
ACCESS_TOKEN="$(json_field data.access_token)"
[[ -n "$ACCESS_TOKEN" ]] || fail "refresh returned no data.access_token"

step "7. Log out: the access token stops working at once"
call DELETE "$AUTH/session" "" "Authorization: Bearer $ACCESS_TOKEN"
# allauth answers a logout with 401: "you are now signed out".
expect_status 401
call GET "$BASE_URL/api/v1/me" "" "Authorization: Bearer $ACCESS_TOKEN"
expect_status 401

printf '\nWalk-through complete: %s signed up, verified, logged in, changed the profile,\n' "$EMAIL"
printf 'refreshed the tokens and logged out.\n'
