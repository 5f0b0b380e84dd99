#!/usr/bin/env bash
# khoa tokens / certs / token: every serial, subject and date that khoa shows
# equals what pkcs11-tool and openssl read from the same tokens.
. "$(dirname "$0")/lib.sh"

make_tokens
start_khoad

khoa --json tokens >"$TMP/tokens.json"
khoa --json certs >"$TMP/certs.json"

# Token serials: pkcs11-tool -L is the witness.
p11 -L | sed -n 's/^ *serial num *: *//p' | sort >"$TMP/p11-serials"
jq -r '.tokens[].serial' "$TMP/tokens.json" | sort >"$TMP/khoa-serials"
check_eq "token serials equal pkcs11-tool's" "$(cat "$TMP/p11-serials")" "$(cat "$TMP/khoa-serials")"
check_eq "five tokens" 5 "$(jq '.tokens | length' "$TMP/tokens.json")"

# Every certificate object, read back by pkcs11-tool, printed by openssl.
n=0
while read -r label; do
	serial=$(jq -r --arg l "$label" '.tokens[] | select(.label == $l) | .serial' "$TMP/tokens.json")
	for id in $(p11 --token-label "$label" -O --type cert | sed -n 's/^ *ID: *//p'); do
		n=$((n + 1))
		p11 --token-label "$label" --read-object --type cert --id "$id" -o "$TMP/c.der" >/dev/null
		x() { openssl x509 -inform DER -in "$TMP/c.der" -noout "$@"; }
		cert=$(jq -c --arg s "$serial" --arg id "$id" \
			'.certificates[] | select(.token_serial == $s and .id == $id)' "$TMP/certs.json")
		field() { jq -r ".$1" <<<"$cert"; }
		check_eq "$label/$id: certificate serial" "$(x -serial | sed 's/^serial=//')" "$(field serial)"
		check_eq "$label/$id: subject" "$(x -subject -nameopt oneline,-esc_msb | sed 's/^subject=//')" "$(field subject)"
		check_eq "$label/$id: issuer" "$(x -issuer -nameopt oneline,-esc_msb | sed 's/^issuer=//')" "$(field issuer)"
		check_eq "$label/$id: holder (CN)" \
			"$(x -subject -nameopt multiline,-esc_msb,utf8 | sed -n 's/^ *commonName *= //p')" "$(field subject_cn)"
		check_eq "$label/$id: not after" \
			"$(date -u -d "$(x -enddate | sed 's/^notAfter=//')" +%Y-%m-%dT%H:%M:%SZ)" "$(field not_after)"
		check_eq "$label/$id: not before" \
			"$(date -u -d "$(x -startdate | sed 's/^notBefore=//')" +%Y-%m-%dT%H:%M:%SZ)" "$(field not_before)"
		check_eq "$label/$id: SHA-256" "$(x -fingerprint -sha256 | sed 's/^.*=//')" "$(field sha256)"
		check_eq "$label/$id: a key pair is on the token" true "$(field has_private_key)"
	done
done < <(p11 -L | sed -n 's/^ *token label *: *//p')
check_eq "as many certificates as pkcs11-tool found" "$n" "$(jq '.certificates | length' "$TMP/certs.json")"

# The shapes the fixture promises, as a person would check them.
cn_of() { jq -r --arg l "$1" '[.tokens[] | select(.label == $l) | .certificates[].subject_cn] | join("|")' "$TMP/tokens.json"; }
check_eq "Vietnamese holder name exact" "Nguyễn Thị Hường" "$(cn_of "Nguyen Thi Huong")"
check_eq "organization token holds two certificates" \
	"Văn phòng UBND tỉnh Thái Bình|Văn phòng UBND tỉnh Thái Bình" "$(cn_of "Van phong UBND")"
check_eq "blank token has no certificate" "" "$(cn_of "Blank token")"
check_eq "EC P-256 key" "EC 256" \
	"$(jq -r '.tokens[] | select(.label == "Tran Van Duc") | .certificates[0] | "\(.key_algorithm) \(.key_bits)"' "$TMP/tokens.json")"
check_eq "high-bit serial printed without a sign byte" \
	"$(sed -n 's/^Nguyen Thi Huong\t[^\t]*\t[^\t]*\t\([^\t]*\).*/\1/p' "$TMP/fx/manifest.tsv")" \
	"$(jq -r '.tokens[] | select(.label == "Nguyen Thi Huong") | .certificates[0].serial' "$TMP/tokens.json")"
check_eq "PIN flags decoded" "true false false" \
	"$(jq -r '.tokens[0].flags | "\(.user_pin_initialized) \(.user_pin_locked) \(.user_pin_final_try)"' "$TMP/tokens.json")"
check_eq "protocol field names" \
	"certificates,flags,label,manufacturer,max_pin_length,min_pin_length,model,module,registration,serial,slot_description" \
	"$(jq -r '.tokens[0] | keys | join(",")' "$TMP/tokens.json")"

# The human table: dates as dd/mm/yyyy, expired flagged, Vietnamese intact.
out=$(khoa tokens)
huong_to=$(jq -r '.tokens[] | select(.label == "Nguyen Thi Huong") | .certificates[0].not_after' "$TMP/tokens.json")
check_contains "tokens table shows the holder" "Nguyễn Thị Hường" "$out"
check_contains "tokens table shows dd/mm/yyyy" "$(date -u -d "$huong_to" +%d/%m/%Y)" "$out"
check_contains "expired certificate flagged" "expired" "$(grep 'Le Quang Vy' <<<"$out")"
check_contains "blank token listed" "(no certificate)" "$(grep 'Blank token' <<<"$out")"

# One token in full.
huong=$(jq -r '.tokens[] | select(.label == "Nguyen Thi Huong") | .serial' "$TMP/tokens.json")
out=$(khoa token "$huong")
check_contains "token shows its serial" "Token $huong" "$out"
check_contains "token shows the certificate subject" "CN = Nguyễn Thị Hường" "$out"
check_eq "token --json is the protocol's" "$huong" "$(khoa --json token "$huong" | jq -r .token.serial)"

# Status names the module and counts what it read.
st=$(khoa --json status)
check_eq "status counts tokens" 5 "$(jq .tokens <<<"$st")"
check_eq "status counts certificates" 5 "$(jq .certificates <<<"$st")"
check_eq "status: SoftHSM2 is re-initialized on scans" true "$(jq '.modules[0].reinitialize' <<<"$st")"
check_contains "status table" "libsofthsm2" "$(khoa status)"
check_eq "status: the module's library path" "$(realpath "$SOFTHSM2_MODULE")" "$(jq -r '.modules[0].path' <<<"$st")"
check_eq "status: its version is softhsm2-util's" "$(softhsm2-util --version | cut -d. -f1,2)" \
	"$(jq -r '.modules[0].version' <<<"$st")"
check_eq "status: every slot it sees, as pkcs11-tool lists them" "$(p11 -L | grep -c '^Slot ')" \
	"$(jq -r '.modules[0].slots' <<<"$st")"
check_contains "status table: manufacturer and version" "SoftHSM $(softhsm2-util --version | cut -d. -f1,2)" "$(khoa status)"

done_testing
