#!/usr/bin/env bash
# Onboard a member agency with the `oversight` command line: the agency, its agency admin,
# two members and a partner system (service account); then suspend and reinstate the agency
# to check the switch works before handing over.
#
# Usage:
#   onboard_agency.sh NAME SECTOR ADMIN_EMAIL MEMBER_EMAIL MEMBER_EMAIL < passwords
#
# Standard input: three passwords, one per line (agency admin, first member, second member),
# each of 12 characters or more and not easy to guess (a passphrase of a few uncommon words).
# They reach `oversight` on its standard input, never in argv.
#
# Environment:
#   OVERSIGHT_DATABASE_URL  the service's database (as for `oversight serve`)
#   CREDENTIALS_DIR         where the partner system's credentials file is written (default .)
#
# Every step uses `oversight ... --json`; the first failing step stops the script with that
# command's exit code (1 failure, 2 usage) and its one-line error on stderr.
set -euo pipefail

usage() {
    sed -n '6,15p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
[[ $# -eq 5 ]] || usage
name=$1 sector=$2 admin_email=$3 member1_email=$4 member2_email=$5
credentials_dir=${CREDENTIALS_DIR:-.}

trap 'echo "onboarding stopped: the step at line $LINENO failed" >&2' ERR

# Read one field of the JSON document on stdin: json_field slug / json_field roles.
json_field() {
    python3 -c '
import json, sys
value = json.load(sys.stdin)[sys.argv[1]]
print(",".join(value) if isinstance(value, list) else value)
' "$1"
}

read_password() {
    local password
    IFS= read -r password || { echo "expected three passwords on standard input" >&2; exit 2; }
    printf '%s' "$password"
}
admin_password=$(read_password)
member1_password=$(read_password)
member2_password=$(read_password)

# create_user EMAIL PASSWORD [--role ROLE]...: prints the new user's JSON.
create_user() {
    local email=$1 password=$2
    shift 2
    printf '%s\n' "$password" |
        oversight users create --email "$email" --agency "$slug" "$@" --password-stdin --json
}

agency=$(oversight agencies create --name "$name" --sector "$sector" --json)
slug=$(json_field slug <<<"$agency")
echo "created agency $slug ($(json_field id <<<"$agency"))"

user=$(create_user "$admin_email" "$admin_password" --role agency_admin)
echo "created agency admin $(json_field email <<<"$user") (roles $(json_field roles <<<"$user"))"
user=$(create_user "$member1_email" "$member1_password")
echo "created member $(json_field email <<<"$user") (roles $(json_field roles <<<"$user"))"
user=$(create_user "$member2_email" "$member2_password")
echo "created member $(json_field email <<<"$user") (roles $(json_field roles <<<"$user"))"

account=$(oversight service-accounts create --name "$name partner system" --agency "$slug" \
    --scope bulletins:read --scope bulletins:write --json)
client_id=$(json_field client_id <<<"$account")
credentials="$credentials_dir/$slug-partner-credentials.json"
(
    umask 077  # the client secret is shown once: keep it readable by this user alone
    python3 -c '
import json, sys
account = json.load(sys.stdin)
print(json.dumps({k: account[k] for k in ("client_id", "client_secret", "scopes")}, indent=2))
' <<<"$account" >"$credentials"
)
echo "created service account $client_id; its credentials are in $credentials (mode 0600)"

# Check the switch works both ways before handing over: suspend cuts every token at once.
status=$(oversight agencies suspend "$slug" --json | json_field status)
echo "suspended agency $slug: status $status"
[[ $status == suspended ]]
status=$(oversight agencies reinstate "$slug" --json | json_field status)
echo "reinstated agency $slug: status $status"
[[ $status == active ]]

echo "onboarded $name: 1 agency admin, 2 members, 1 service account"
