#!/usr/bin/env sh
# Seeds fuzz/corpus/<target>/ from the crates' fixture payloads (corpus/ is gitignored).
# Decoders get their vendor's fixtures; the callback check gets the Manage callback payloads; the
# normalisers and the conditions builder get every fixture (their strings are realistic identifiers)
# plus a few hand-written identifiers.
set -eu
cd "$(dirname "$0")"
root=..
seed() { # seed <target> <files...>
    target=$1; shift
    mkdir -p "corpus/$target"
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "corpus/$target/$(basename "$(dirname "$(dirname "$(dirname "$f")")")")-$(basename "$f")"
    done
}
word() { # word <target> <name> <text>
    mkdir -p "corpus/$1"
    printf '%s' "$3" > "corpus/$1/hand-$2"
}
all="$root/cw-manage-client/tests/fixtures/*.json $root/datto-rmm-client/tests/fixtures/*.json $root/cw-asio-client/tests/fixtures/*.json"
seed decode_manage $root/cw-manage-client/tests/fixtures/*.json
seed decode_datto $root/datto-rmm-client/tests/fixtures/*.json
seed decode_asio $root/cw-asio-client/tests/fixtures/*.json
seed manage_callback $root/cw-manage-client/tests/fixtures/callback_*.json
for t in normalize_mac normalize_serial normalize_hostname normalize_company normalize_uuid manage_conditions; do
    # shellcheck disable=SC2086
    seed $t $all
done
word normalize_mac colon "00:1A:2B:3C:4D:5E"
word normalize_mac list "00-1a-2b-3c-4d-5e, 001a.2b3c.4d5e;001A2B3C4D5E 02:00:4C:4F:4F:50"
word normalize_serial dell "  5cg 12 34xyz "
word normalize_serial placeholder "To Be Filled By O.E.M."
word normalize_hostname fqdn "WS-ACCOUNTING-0001.corp.example.com"
word normalize_hostname ip "10.0.0.12"
word normalize_company legal "Smith & Sons Holdings, Inc."
word normalize_company cyrillic "ООО Ромашка"
word normalize_uuid smbios "4C4C4544-0035-3010-8048-B4C04F564433"
echo "seeded: $(ls corpus | wc -l) targets, $(find corpus -type f | wc -l) files"
