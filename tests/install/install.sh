#!/usr/bin/env bash
# The installation as an administrator gets it: `meson install` of this build
# into a DESTDIR, the files it puts in place (expected-files.txt), the
# configuration file, the sysusers.d and tmpfiles.d entries, the units
# (systemd-analyze verify and security), the man pages, and the bash
# completion, down to the serials of the tokens an installed khoad sees.
#
# Environment (tests/install/meson.build): BUILD_ROOT, SOURCE_ROOT, MESON,
# INSTALL_DIRS, MAN_PAGES; KHOAD and KHOA are replaced by the installed ones,
# and khoa's print helper is the installed one too.

# shellcheck source=../integration/lib.sh
. "$SOURCE_ROOT/tests/integration/lib.sh"

here=$SOURCE_ROOT/tests/install
DEST=$TMP/dest
mkdir -p "$DEST"

if [ -z "${MESON:-}" ]; then
	echo "1..0 # SKIP meson is not in PATH"
	exit 0
fi

# expected-files.txt is written for /usr/local: each path moves to where
# this build installs its directory (the longest directory that matches).
relocate() {
	awk '
		BEGIN {
			n = split(ENVIRON["INSTALL_DIRS"], pairs, "\n")
			for (i = 1; i <= n; i++) {
				eq = index(pairs[i], "=")
				from[i] = substr(pairs[i], 1, eq - 1)
				to[i] = substr(pairs[i], eq + 1)
			}
		}
		/^#/ || NF == 0 { next }
		{
			best = 0
			for (i = 1; i <= n; i++)
				if (index($0, from[i] "/") == 1 &&
				    (!best || length(from[i]) > length(from[best])))
					best = i
			print best ? to[best] substr($0, length(from[best]) + 1) : $0
		}'
}
dir_of() {	# dir_of /usr/local/...: where this build put that directory
	echo "$1/x" | relocate | sed 's|/x$||'
}
unitdir=$(dir_of /usr/local/lib/systemd/system)
mandir=$(dir_of /usr/local/share/man)
completiondir=$(dir_of /usr/local/share/bash-completion/completions)

# ---- meson install ----------------------------------------------------------

if "$MESON" install -C "$BUILD_ROOT" --destdir "$DEST" --no-rebuild --quiet \
	>"$TMP/install.log" 2>&1; then
	ok "meson install --destdir puts the build in place without rebuilding"
else
	not_ok "meson install --destdir"
	sed 's/^/#   /' "$TMP/install.log"
fi

expected=$(relocate <"$here/expected-files.txt" |
	if [ "$MAN_PAGES" = yes ]; then cat; else grep -v '/man[0-9]/'; fi | sort)
installed=$(cd "$DEST" && find . \( -type f -o -type l \) | sed 's|^\.||' | sort)
check_eq "the installed files are the expected ones" "$expected" "$installed"
[ "$MAN_PAGES" = yes ] || echo "# scdoc was not found at setup: no man pages (contrib/dev/packages installs it)"

path_of() {	# path_of /usr/local/...: the file in DESTDIR
	echo "$DEST$(echo "$1" | relocate)"
}
KHOAD=$(path_of /usr/local/sbin/khoad)
KHOA=$(path_of /usr/local/bin/khoa)
conf=$(path_of /usr/local/etc/khoa/khoad.conf)
helper=$(path_of /usr/local/libexec/khoa/khoa-print)
export KHOA_PRINT_HELPER=$helper

# ---- the print helper --------------------------------------------------------

# khoa runs it with a record on its standard input; installed, it renders.
check_status "the installed khoa-print renders a handover as text" 0 \
	"$helper" handover --format text <"$SOURCE_ROOT/tests/forms/handover.json"
check_contains "in the form's own words" "BIÊN BẢN" "$(cat "$TMP/out")"

# ---- the configuration file --------------------------------------------------

check_status "the installed khoad.conf passes khoad --check-config" 0 \
	"$KHOAD" --check-config --config "$conf"
check_contains "--check-config says it is valid" "the configuration is valid" "$(cat "$TMP/out")"
# Every key of [rules] that khoad prints is documented in the file.
missing=
for key in $(sed -n '/^\[rules\]/,/^$/s/^\([a-z0-9-]*\) =.*/\1/p' "$TMP/out"); do
	grep -q "^# $key = " "$conf" || missing="$missing $key"
done
check_eq "khoad.conf shows every key of [rules] with its default" "" "$missing"
for role in clerk technician admin; do
	grep -q "^# $role = " "$conf" || missing="$missing $role"
done
check_eq "khoad.conf shows every role" "" "$missing"
printf '[rules]\nrenew-min-days = x\n' >"$TMP/bad.conf"
check_status "a wrong file fails --check-config" 1 "$KHOAD" --check-config --config "$TMP/bad.conf"
check_contains "naming the file and the line" "$TMP/bad.conf:2:" "$(cat "$TMP/err")"

# ---- sysusers.d, tmpfiles.d --------------------------------------------------

root=$TMP/root
mkdir -p "$root/etc"
if ! command -v systemd-sysusers >/dev/null || [ "$(id -u)" -ne 0 ]; then
	ok "sysusers.d, tmpfiles.d # SKIP needs root and systemd-sysusers"
else
	systemd-sysusers --root="$root" "$(path_of /usr/local/lib/sysusers.d/khoa.conf)" \
		>"$TMP/out" 2>&1 || true
	user=$(grep '^khoa:' "$root/etc/passwd" || true)
	check_contains "sysusers.d makes the system user khoa" "khoa token daemon:/var/lib/khoa:" "$user"
	check_contains "and its group" "khoa:x:" "$(cat "$root/etc/group")"
	uid=$(echo "$user" | cut -d: -f3)
	if systemd-tmpfiles --create --root="$root" \
		"$(path_of /usr/local/lib/tmpfiles.d/khoa.conf)" >"$TMP/out" 2>&1; then
		check_eq "tmpfiles.d makes /run/khoa and /var/lib/khoa (owner, mode)" \
			"$uid 755 $uid 750" \
			"$(stat -c '%u %a' "$root/run/khoa" "$root/var/lib/khoa" | tr '\n' ' ' | sed 's/ $//')"
	else
		not_ok "systemd-tmpfiles --create"
		sed 's/^/#   /' "$TMP/out"
	fi
fi

# ---- the journal catalog -----------------------------------------------------

catalog=$(path_of /usr/local/lib/systemd/catalog/khoad.catalog)
if ! command -v journalctl >/dev/null; then
	ok "journalctl --update-catalog # SKIP journalctl is not installed"
else
	mkdir -p "$TMP/catroot/usr/lib/systemd/catalog"
	cp "$catalog" "$TMP/catroot/usr/lib/systemd/catalog/"
	if journalctl --root="$TMP/catroot" --update-catalog >"$TMP/out" 2>&1; then
		check_eq "journalctl --update-catalog takes every entry of khoad.catalog" \
			"$(grep -c '^-- [0-9a-f]\{32\}' "$catalog")" \
			"$(journalctl --root="$TMP/catroot" --list-catalog 2>/dev/null | grep -c ' khoa: ')"
	else
		not_ok "journalctl --update-catalog"
		sed 's/^/#   /' "$TMP/out"
	fi
fi

# ---- the units ---------------------------------------------------------------

# A copy of the units whose ExecStart= is the khoad in DESTDIR, since
# systemd-analyze verify checks that the program exists.
units=$TMP/units
mkdir -p "$units"
sed "s|^ExecStart=|ExecStart=$DEST|" "$DEST$unitdir/khoad.service" >"$units/khoad.service"
cp "$DEST$unitdir/khoad.socket" "$units/khoad.socket"

check_contains "khoad.service runs the installed khoad" \
	"ExecStart=$(echo /usr/local/sbin/khoad | relocate)" "$(cat "$DEST$unitdir/khoad.service")"
check_contains "khoad.socket listens on the default socket" \
	"ListenStream=/run/khoa/khoad.sock" "$(cat "$DEST$unitdir/khoad.socket")"

if ! command -v systemd-analyze >/dev/null; then
	ok "systemd-analyze verify # SKIP systemd-analyze is not installed"
	ok "systemd-analyze security # SKIP systemd-analyze is not installed"
else
	# Documentation=man:… is checked against the installed man pages.
	man=--man=no
	[ "$MAN_PAGES" = yes ] && man=--man=yes
	if (cd "$TMP" && MANPATH=$DEST$mandir systemd-analyze verify "$man" \
		"$units/khoad.service" "$units/khoad.socket") >"$TMP/out" 2>&1; then
		ok "systemd-analyze verify khoad.service khoad.socket ($man)"
	else
		not_ok "systemd-analyze verify khoad.service khoad.socket"
		sed 's/^/#   /' "$TMP/out"
	fi
	[ -s "$TMP/out" ] && sed 's/^/# verify: /' "$TMP/out"

	status=0
	(cd "$TMP" && systemd-analyze security --offline=yes --no-pager --threshold=10 \
		"$units/khoad.service") >"$TMP/out" 2>&1 || status=$?
	score=$(grep -o 'Overall exposure level for khoad.service: .*' "$TMP/out" || true)
	echo "# $score"
	level=$(echo "$score" | sed -n 's/.*: \([0-9.]*\) .*/\1/p')
	if [ "$status" -eq 0 ] && [ -n "$level" ] && awk -v l="$level" 'BEGIN { exit !(l <= 1.0) }'; then
		ok "systemd-analyze security rates khoad.service at most 1.0 ($level)"
	else
		not_ok "systemd-analyze security rates khoad.service at most 1.0 (${level:-no score}, status $status)"
		grep '✗' "$TMP/out" | sed 's/^/#   /'
	fi
fi

# ---- the man pages -----------------------------------------------------------

if [ "$MAN_PAGES" != yes ]; then
	ok "man pages # SKIP scdoc was not found at setup"
else
	for page in man8/khoad.8 man1/khoa.1 man5/khoad.conf.5; do
		file=$DEST$mandir/$page
		warnings=$(groff -k -man -Tutf8 -ww -z "$file" 2>&1 || echo "groff failed")
		check_eq "$page renders without a warning" "" "$warnings"
		text=$(MANWIDTH=200 man -l "$file" 2>/dev/null || true)
		for section in NAME SYNOPSIS DESCRIPTION "SEE ALSO"; do
			grep -q "^$section" <<<"$text" || not_ok "$page has no $section"
		done
		echo "$text" >"$TMP/${page#*/}.txt"
	done
	# Every option khoad --help prints, every command khoa --help lists, every
	# key of [rules] is in its page: the pages follow the programs.
	missing=
	for opt in $("$KHOAD" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "$opt" "$TMP/khoad.8.txt" || missing="$missing $opt"
	done
	check_eq "khoad(8) documents every option of khoad --help" "" "$missing"
	missing=
	for cmd in $("$KHOA" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\).*/\1/p'); do
		grep -q "^       $cmd\b" "$TMP/khoa.1.txt" || missing="$missing $cmd"
		for opt in $("$KHOA" "$cmd" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
			grep -q -- "$opt\b" "$TMP/khoa.1.txt" || missing="$missing $cmd:$opt"
		done
	done
	check_eq "khoa(1) documents every command of khoa --help and its options" "" "$missing"
	missing=
	for key in $("$KHOAD" --check-config --config "$conf" |
		sed -n '/^\[rules\]/,/^$/s/^\([a-z0-9-]*\) =.*/\1/p'); do
		grep -q "^       $key = " "$TMP/khoad.conf.5.txt" || missing="$missing $key"
	done
	check_eq "khoad.conf(5) documents every key of [rules]" "" "$missing"
fi

# ---- bash completion ---------------------------------------------------------

completion=$DEST$completiondir/khoa
export PATH=$(dirname "$KHOA"):$PATH

# complete WORDS...: what the completion offers for the last word, sorted,
# on one line (bash without bash-completion, and with it when installed).
complete_in() {	# complete_in PRELUDE WORDS...
	local prelude=$1
	shift
	bash --norc --noprofile -c '
		'"$prelude"'
		. "$0" || exit 1
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_khoa khoa "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ $//"' \
		"$completion" "$@"
}
preludes=(":")
if [ -f /usr/share/bash-completion/bash_completion ]; then
	preludes+=(". /usr/share/bash-completion/bash_completion")
fi

for prelude in "${preludes[@]}"; do
	how="plain bash"
	[ "$prelude" = : ] || how="with bash-completion"
	check_eq "complete -p khoa ($how)" "complete -F _khoa khoa" \
		"$(bash --norc --noprofile -c "$prelude; . '$completion'; complete -p khoa")"
	check_eq "khoa re<TAB> ($how)" "register report request rescan" "$(complete_in "$prelude" khoa re)"
	check_eq "khoa pin-request c<TAB> ($how)" "cancel complete confirm count" \
		"$(complete_in "$prelude" khoa pin-request c)"
	check_eq "khoa request new --<TAB> ($how)" \
		"--certificate --help --org --person --reason --years" \
		"$(complete_in "$prelude" khoa request new --)"
	check_eq "khoa --socket S print list --format <TAB> ($how)" "csv pdf text" \
		"$(complete_in "$prelude" khoa --socket S print list --format '')"
	check_eq "khoa --s<TAB> ($how)" "--socket" "$(complete_in "$prelude" khoa --s)"
	check_eq "khoa --w<TAB> ($how)" "--width" "$(complete_in "$prelude" khoa --w)"
	check_eq "khoa --width 80 re<TAB>: the width is no command ($how)" \
		"register report request rescan" "$(complete_in "$prelude" khoa --width 80 re)"
	# bash splits "--format=c" at "=" into three words
	check_eq "khoa print list --format=c<TAB> ($how)" "csv" \
		"$(complete_in "$prelude" khoa print list --format = c)"
done

# Every command of khoa --help is offered, and every option its --help names.
commands=$("$KHOA" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z-][a-z-]*\).*/\1/p' | sort |
	tr '\n' ' ' | sed 's/ $//')
check_eq "khoa <TAB> offers every command of khoa --help" "$commands" "$(complete_in : khoa '')"
missing=
for cmd in $commands; do
	offered=$(bash --norc --noprofile -c '. "$0"; for s in "" $(_khoa_subcommands "$1"); do _khoa_options "$1" "$s"; done' \
		"$completion" "$cmd")
	# (--json and --help are khoa's own options)
	for opt in $("$KHOA" "$cmd" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		case $opt in --json | --help) continue ;; esac
		[[ " $(echo $offered) " == *" $opt "* ]] || missing="$missing $cmd:$opt"
	done
done
check_eq "the completion offers every option of each command's --help" "" "$missing"

# Serials, from the installed khoad: those pkcs11-tool reads.
make_tokens
start_khoad
want=$(p11 -L | sed -n 's/^ *serial num *: *//p' | sort | tr '\n' ' ' | sed 's/ $//')
check_eq "khoa --socket S token <TAB> offers the serials of the tokens present" "$want" \
	"$(complete_in : khoa --socket "$SOCK" token '')"
first=${want%% *}
check_eq "khoa --socket S history ${first:0:6}<TAB>" "$first" \
	"$(complete_in : khoa --socket "$SOCK" history "${first:0:6}")"
check_eq "khoa --socket S handover new --serial <TAB>" "$want" \
	"$(complete_in : khoa --socket "$SOCK" handover new --serial '')"
check_eq "no serial when khoad cannot be reached" "" \
	"$(complete_in : khoa --socket "$TMP/none.sock" token '')"

done_testing
