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
#   CREDENTIALS_DIR         where the partner system's credentials file is written
#                           (default ~/.config/oversight, outside any working tree)
#
# Every step uses `oversight ... --json`; the first failing step stops the script with that
# command's exit code (1 failure, 2 usage) and its one-line error on stderr. Run it again once
# the cause is fixed: what the first run made (the agency, users, the service account) is
# found and kept, and the run carries on from the step that failed.
set -euo pipefail

usage() {
    sed -n '6,16p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
[[ $# -eq 5 ]] || usage
name=$1 sector=$2 admin_email=$3 member1_email=$4 member2_email=$5
credentials_dir=${CREDENTIALS_DIR:-$HOME/.config/oversight}
(umask 077 && mkdir -p "$credentials_dir")

trap 'echo "onboarding stopped: the step at line $LINENO failed" >&2' ERR

# Read one field of the JSON document on stdin: json_field slug / json_field roles.
json_field() {
    python3 -c '
import json, sys
value = json.load(sys.stdin)[sys.argv[1]]
print(",".join(value) if isinstance(value, list) else value)
' "$1"
}

# find FIELD VALUE: the object of the JSON array on stdin whose FIELD is VALUE (or nothing).
find() {
    python3 -c '
import json, sys
found = [o for o in json.load(sys.stdin) if o[sys.argv[1]] == sys.argv[2]]
print(json.dumps(found[0]) if found else "")
' "$1" "$2"
}

read_password() {
    local password
    IFS= read -r password || { echo "expected three passwords on standard input" >&2; exit 2; }
    printf '%s' "$password"
}
admin_password=$(read_password)
member1_password=$(read_password)
member2_password=$(read_password)

# ensure_user KIND EMAIL PASSWORD [--role ROLE]...: the user, made unless already there.
ensure_user() {
    local kind=$1 email=$2 password=$3 user
    shift 3
    user=$(oversight users list --agency "$slug" --json | find email "$email")
    if [[ -n $user ]]; then
        echo "kept $kind $email (made by an earlier run; roles $(json_field roles <<<"$user"))"
        return
    fi
    user=$(printf '%s\n' "$password" |
        oversight users create --email "$email" --agency "$slug" "$@" --password-stdin --json)
    echo "created $kind $(json_field email <<<"$user") (roles $(json_field roles <<<"$user"))"
}

agency=$(oversight agencies list --json | find name "$name")
if [[ -n $agency ]]; then
    slug=$(json_field slug <<<"$agency")
    echo "kept agency $slug (made by an earlier run)"
else
    agency=$(oversight agencies create --name "$name" --sector "$sector" --json)
    slug=$(json_field slug <<<"$agency")
    echo "created agency $slug ($(json_field id <<<"$agency"))"
fi

ensure_user "agency admin" "$admin_email" "$admin_password" --role agency_admin
ensure_user member "$member1_email" "$member1_password"
ensure_user member "$member2_email" "$member2_password"

# The partner system: its secret is shown once, so an account an earlier run made whose
# credentials file is missing gets a new secret (the old one stops working).
account_name="$name partner system"
credentials="$credentials_dir/$slug-partner-credentials.json"
account=$(oversight service-accounts list --agency "$slug" --json | find name "$account_name")
if [[ -n $account && -s $credentials ]]; then
    client_id=$(json_field client_id <<<"$account")
    echo "kept service account $client_id; its credentials are in $credentials"
else
    if [[ -n $account ]]; then
        account=$(oversight service-accounts rotate "$(json_field client_id <<<"$account")" --json)
        verb="rotated the secret of"
    else
        account=$(oversight service-accounts create --name "$account_name" --agency "$slug" \
            --scope bulletins:read --scope bulletins:write --json)
        verb="created"
    fi
    client_id=$(json_field client_id <<<"$account")
    (
        umask 077  # the client secret is shown once: keep it readable by this user alone
        python3 -c '
import json, sys
account = json.load(sys.stdin)
print(json.dumps({k: account[k] for k in ("client_id", "client_secret", "scopes")}, indent=2))
' <<<"$account" >"$credentials"
    )
    echo "$verb service account $client_id; its credentials are in $credentials (mode 0600)"
fi

# Check the switch works both ways before handing over: suspend cuts every token at once.
status=$(oversight agencies suspend "$slug" --json | json_field status)
echo "suspended agency $slug: status $status"
[[ $status == suspended ]]
status=$(oversight agencies reinstate "$slug" --json | json_field status)
echo "reinstated agency $slug: status $status"
[[ $status == active ]]

echo "onboarded $name: 1 agency admin, 2 members, 1 service account"
