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

# signup_verify_login EMAIL PASSWORD DISPLAY_NAME TIME_ZONE: steps 1-3 for one person; leaves
# their tokens in ACCESS_TOKEN and REFRESH_TOKEN.
signup_verify_login() {
	local email="$1" password="$2" name="$3" tz="$4"
	step "Sign up as $email"
	call POST "$AUTH/signup" "{\"email\": \"$email\", \"password\": \"$password\",
		\"display_name\": \"$name\", \"time_zone\": \"$tz\",
		\"privacy_notice_version\": \"${PRIVACY_NOTICE_VERSION:-2026-11}\",
		\"consent_sensitive_data\": true, \"age_confirmed\": true}"
	# 401 is expected: the account exists but is not signed in until its email is confirmed.
	expect_status 401
	local session_token
	session_token="$(json_field meta.session_token)"
	[[ -n "$session_token" ]] || fail "signup returned no meta.session_token"
	python3 - "$BODY_FILE" <<-'PY' || fail "signup did not leave a pending verify_email flow"
		import json, sys

		flows = json.load(open(sys.argv[1], encoding="utf-8"))["data"]["flows"]
		sys.exit(0 if any(f["id"] == "verify_email" and f.get("is_pending") for f in flows) else 1)
	PY

	step "Verify $email with the code from the console email"
	local code=""
	if [[ -n "$SERVER_LOG" ]]; then
		for _ in $(seq $((CODE_WAIT_SECONDS * 2))); do
			code="$(code_from_log "$email")"
			[[ -n "$code" ]] && break
			sleep 0.5
		done
		[[ -n "$code" ]] || fail "no code in an email to $email in $SERVER_LOG after ${CODE_WAIT_SECONDS}s"
	else
		read -r -p "Code from the email to $email printed in the make run terminal: " code
	fi
	printf 'code: %s\n' "$code"
	call POST "$AUTH/email/verify" "{\"key\": \"$code\"}" "X-Session-Token: $session_token"
	expect_status 200

	step "Log in as $email"
	call POST "$AUTH/login" "{\"email\": \"$email\", \"password\": \"$password\"}"
	expect_status 200
	ACCESS_TOKEN="$(json_field meta.access_token)"
	REFRESH_TOKEN="$(json_field meta.refresh_token)"
	[[ -n "$ACCESS_TOKEN" && -n "$REFRESH_TOKEN" ]] || fail "login returned no access/refresh token"
}

new_password() { python3 -c 'import secrets; print("walk-" + secrets.token_urlsafe(12))'; }
RANDOM_PART="$(python3 -c 'import secrets; print(secrets.token_hex(4))')"
EMAIL="walkthrough-$RANDOM_PART@example.com"
PASSWORD="$(new_password)"

printf '\n### 1-3. Robin signs up, verifies the email and logs in\n'
signup_verify_login "$EMAIL" "$PASSWORD" "Robin" "Europe/Lisbon"

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

ROBIN="$ACCESS_TOKEN"
H_ROBIN="Authorization: Bearer $ROBIN"

printf '\n### 7. Jules, the partner, joins Haven the same way\n'
JULES_EMAIL="walkthrough-$RANDOM_PART-jules@example.com"
signup_verify_login "$JULES_EMAIL" "$(new_password)" "Jules" "America/Toronto"
H_JULES="Authorization: Bearer $ACCESS_TOKEN"

step "8. Robin makes an invite: a code to read out, and a link"
call POST "$BASE_URL/api/v1/invites" "" "$H_ROBIN"
expect_status 201
INVITE_CODE="$(json_field code)"

step "9. Jules previews the code (only the inviter's name shows) and accepts"
call GET "$BASE_URL/api/v1/invites/$INVITE_CODE" "" "$H_JULES"
expect_status 200
[[ "$(json_field inviter_display_name)" == "Robin" ]] || fail "the preview did not name Robin"
call POST "$BASE_URL/api/v1/invites/$INVITE_CODE/accept" "" "$H_JULES"
expect_status 201
[[ "$(json_field partner.display_name)" == "Robin" ]] || fail "Jules is not paired with Robin"

step "10. Robin ranks love languages, and sets a shared boundary"
call PUT "$BASE_URL/api/v1/me/love-languages" '{"receiving": ["quality_time",
	"words_of_affirmation", "acts_of_service", "physical_touch", "gifts"], "giving":
	["acts_of_service", "quality_time", "gifts", "words_of_affirmation", "physical_touch"],
	"small_things": ["a cup of tea without asking"]}' "$H_ROBIN"
expect_status 200
call POST "$BASE_URL/api/v1/boundaries" '{"kind": "need", "visibility": "shared",
	"text": "An hour to myself after work before we talk about plans"}' "$H_ROBIN"
expect_status 201

step "11. Jules takes some space for three hours, with a reassurance"
UNTIL="$(python3 -c 'import datetime as d; print((d.datetime.now(d.UTC) + d.timedelta(hours=3)).isoformat())')"
call POST "$BASE_URL/api/v1/couple/space" "{\"ends_at\": \"$UNTIL\", \"reassurance\": \"not_about_you\"}" "$H_JULES"
expect_status 201

step "12. Robin sees it plainly"
call GET "$BASE_URL/api/v1/couple" "" "$H_ROBIN"
expect_status 200
[[ -n "$(json_field partner_space.id)" ]] || fail "Robin does not see that Jules is taking space"

step "13. Jules reads what Robin shares: love languages and the boundary"
call GET "$BASE_URL/api/v1/couple/partner" "" "$H_JULES"
expect_status 200
[[ "$(json_field love_languages.receiving)" == *quality_time* ]] || fail "love languages missing"

step "13b. Jules is taking space, so Robin is offered the lesson on distance, at most one a day"
call GET "$BASE_URL/api/v1/learn/today" "" "$H_ROBIN"
expect_status 200
[[ "$(json_field lesson.slug)" == "not-about-you" ]] || fail "Robin was not offered not-about-you"
[[ "$(json_field reason)" == "partner_space" ]] || fail "the lesson's reason is not partner_space"
call GET "$BASE_URL/api/v1/learn/today" "" "$H_JULES"
[[ -z "$(json_field lesson.slug)" ]] || fail "Jules was offered a lesson about their own space"

step "13c. Robin reads it, writes a private reflection, and shares that they read it"
call POST "$BASE_URL/api/v1/lessons/not-about-you/complete" "" "$H_ROBIN"
expect_status 200
call PUT "$BASE_URL/api/v1/lessons/not-about-you/reflection" \
	'{"text": "walkthrough-private-reflection: quiet is not a verdict"}' "$H_ROBIN"
expect_status 200
call POST "$BASE_URL/api/v1/lessons/not-about-you/share" "" "$H_ROBIN"
expect_status 200
call GET "$BASE_URL/api/v1/lessons/not-about-you/reflection" "" "$H_JULES"
[[ -z "$(json_field text)" ]] || fail "Jules read a reflection that is not theirs"
call GET "$BASE_URL/api/v1/lessons" "" "$H_JULES"
if grep -q "walkthrough-private-reflection" "$BODY_FILE"; then fail "the reflection reached Jules"; fi

step "14. A day of check-ins: Robin checks in (today is decided by the server)"
call GET "$BASE_URL/api/v1/checkins/today" "" "$H_ROBIN"
expect_status 200
DAY="$(json_field date)"
call PUT "$BASE_URL/api/v1/checkins/$DAY" '{"mood": 3, "energy": 3, "dial": 1,
	"capacity": "deeper", "shared_note": "Long week, but I am okay.",
	"private_note": "walkthrough-private-words"}' "$H_ROBIN"
expect_status 200

step "15. Jules sees only that Robin has checked in, then checks in too"
call GET "$BASE_URL/api/v1/checkins/today" "" "$H_JULES"
[[ "$(json_field partner.state)" == "checked_in" ]] || fail "Jules should see 'checked_in'"
call PUT "$BASE_URL/api/v1/checkins/$DAY" '{"mood": 4, "energy": 2, "dial": -2,
	"capacity": "light"}' "$H_JULES"
expect_status 200

step "16. Now Robin's shared answers are revealed to Jules, with a bridge for the day"
call GET "$BASE_URL/api/v1/checkins/today" "" "$H_JULES"
[[ "$(json_field partner.state)" == "revealed" ]] || fail "Robin's check-in was not revealed"
[[ "$(json_field partner.checkin.shared_note)" == "Long week, but I am okay." ]] ||
	fail "the shared note did not arrive"
[[ -n "$(json_field bridge.kind)" ]] || fail "no bridge suggestion once both checked in"
if grep -q "walkthrough-private-words" "$BODY_FILE"; then fail "the private note reached Jules"; fi

ACCESS_TOKEN="$ROBIN"
step "17. Robin logs out: the access token stops working at once"
call DELETE "$AUTH/session" "" "Authorization: Bearer $ACCESS_TOKEN"
# allauth answers a logout with 401: "you are now signed out".
expect_status 401
call GET "$BASE_URL/api/v1/me" "" "Authorization: Bearer $ACCESS_TOKEN"
expect_status 401

printf '\nWalk-through complete: Robin and Jules signed up, paired with a code, shared love\n'
printf 'languages and a boundary; Jules took space and Robin saw it, was offered a lesson,\n'
printf 'read it, reflected privately and shared that they read it; both checked in and saw\n'
printf 'the day revealed with a bridge; Robin logged out.\n'
