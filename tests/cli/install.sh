#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# install.sh - 'meson install' into a DESTDIR gives the binary, a man page
# for tiara, every command of 'tiara --help' and the settings file, each
# rendering without warnings and naming every option of the command's
# help, and a bash completion that completes commands, verbs, options,
# contacts and zones (zsh and fish: syntax, when those shells are here).
. "$(dirname "$0")/../lib.sh"
: "${MESON:?}" "${BUILD_ROOT:?}" "${TIARA_MAN:?}"

DEST=$WORK/dest
"$MESON" install -C "$BUILD_ROOT" --no-rebuild --quiet --destdir "$DEST" \
    >"$WORK/install.log" 2>&1 || {
    cat "$WORK/install.log" >&2
    fail "meson install failed"
    finish
}
bin=$(find "$DEST" -path '*/bin/tiara' -type f)
[ -n "$bin" ] && [ -x "$bin" ] || fail "no bin/tiara in $DEST"
"$bin" --version | grep -q '^tiara ' || fail "installed tiara does not run"
TIARA=$bin
cmds=$("$TIARA" --help | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}')
[ "$(wc -w <<<"$cmds")" -ge 15 ] || fail "tiara --help lists only: $cmds"

# The long options in TEXT, one a line.
options() {
    grep -o -- '--[a-z][a-z-]*' <<<"$1" | sort -u
}

# page FILE NAME HELP: FILE renders without a warning, as NAME, and names
# every option in HELP.
page() {
    local file=$1 name=$2 text warnings o
    [ -f "$file" ] || {
        fail "no man page $file"
        return
    }
    # wide and ASCII, so no option is broken or hyphenated
    text=$(MANWIDTH=1000 LC_ALL=C man -l "$file" 2>/dev/null)
    warnings=$(MANWIDTH=80 LC_ALL=C man --warnings -l "$file" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "$file: $warnings"
    grep -q "^ *$name - " <<<"$text" || fail "$file: no NAME line for $name"
    for o in $(options "$3"); do
        grep -q -- "$o\\b" <<<"$text" || fail "$file does not document $o"
    done
}

if [ "$TIARA_MAN" = off ]; then
    echo "man pages disabled (-Dman=disabled): not checked"
elif [ "$TIARA_MAN" != yes ]; then
    fail "scdoc was not found, so no man pages: install it (scripts/install-deps.sh) or pass -Dman=disabled"
else
    man1=$(dirname "$(find "$DEST" -path '*/man1/tiara.1')")
    man5=$(dirname "$(find "$DEST" -path '*/man5/tiara-config.5')")
    page "$man1/tiara.1" tiara "$("$TIARA" --help)"
    page "$man5/tiara-config.5" tiara-config ""
    for c in $cmds; do
        page "$man1/tiara-$c.1" "tiara-$c" "$("$TIARA" help "$c")"
        grep -q "tiara-$c" "$man1/tiara.1" || fail "tiara(1) does not name tiara-$c"
    done
    # every settings key the parser knows is described
    for key in length cadence thanks_zone agenda_busy conflict notes \
        max_delete adopt_invitations timeout password_command user \
        password_env ca_file todo email name command color; do
        MANWIDTH=1000 LC_ALL=C man -l "$man5/tiara-config.5" 2>/dev/null |
            grep -q "^ *$key\\b" || fail "tiara-config(5) lacks $key"
    done
fi

# Completion: the installed script, run by bash as bash-completion would.
completion=$(find "$DEST" -path '*/bash-completion/completions/tiara')
[ -f "$completion" ] || fail "no bash completion installed"
ok contact add "Ana Pérez" --tz America/New_York
ok contact add "Bob Stone with a name too long for the list" --referred-by ana
ok calendar add phone --url https://dav.example.org/cal/ --no-check
# complete WORDS...: what completing the last word gives, one a line.
complete_words() {
    PATH="$(dirname "$bin"):$PATH" bash -c '
        . "$1" || exit 1
        shift
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        _tiara
        printf "%s\n" "${COMPREPLY[@]}"' complete "$completion" "$@"
}
# gives WANT WORDS...: the completion of WORDS is exactly WANT (sorted).
gives() {
    local want=$1 got
    shift
    got=$(complete_words "$@" | sort | paste -sd ' ')
    [ "$got" = "$want" ] || fail "completing '$*' gave '$got', want '$want'"
}
: >"$WORK/invite.ics"
spec=$(PATH="$(dirname "$bin"):$PATH" bash -c '. "$1" && complete -p tiara' x "$completion")
[ "$spec" = "complete -F _tiara tiara" ] || fail "complete -p tiara: $spec"
gives "config conflicts contact" tiara con
gives "add edit import list rm show" tiara contact ""
gives "add discover list rm" tiara calendar ""
gives "list restore show" tiara conflicts ""
gives "--thanks-in --title --tz" tiara schedule --t
gives "--force --help" tiara contact rm --
gives "--color --db --help --version" tiara --
gives "always auto never" tiara --color = ""
gives "--agenda --help --mode --notes --notes-file --title --video --where" tiara edit --
gives 'Ana\ Pérez' tiara edit A
gives "in-person phone video" tiara edit 1 --mode ""
gives "$WORK/invite.ics" tiara edit 1 --notes-file "$WORK/inv"
gives "timer" tiara help ti
# every command of --help, and help itself
# shellcheck disable=SC2086
gives "$(printf '%s\n' $cmds help | sort | paste -sd ' ')" tiara ""
# names with spaces come escaped; a name cut in the list is a prefix
gives 'Ana\ Pérez' tiara schedule A
gives "Ana Pérez" tiara schedule "'A" # inside a quote: as it is
gives 'Bob\ Stone\ with\ a\ name\ t' tiara contact show --db "$TIARA_DB" B
gives 'Ana\ Pérez' tiara contact add Carl --referred-by An
gives 'Ana\ Pérez' tiara --db "$TIARA_DB" thanked A
gives "phone" tiara sync ""
gives "check path" tiara config ""
gives 'Ana\ Pérez' tiara log -n 3 A
gives "quarterly" tiara contact edit ana --cadence q
gives "host mine" tiara schedule ana --thanks-in ""
# an option's value is not an operand: the contact is still the next word
gives 'Ana\ Pérez' tiara timer --for 30m An
gives "" tiara schedule ana --at An
if [ -f /usr/share/zoneinfo/Europe/London ]; then
    gives "Europe/London" tiara contact add Dee --tz Europe/Lond
    gives "Europe/London" tiara schedule ana --tz = Europe/Lond
fi
# a file for import and -o
gives "$WORK/invite.ics" tiara import "$WORK/inv"
gives "$WORK/invite.ics" tiara export -o "$WORK/inv"

# zsh and fish (scripts/install-deps.sh --test installs both): the
# installed scripts, loaded as each shell would, and what they offer.
zcomp=$(find "$DEST" -path '*/zsh/site-functions/_tiara')
if command -v zsh >/dev/null 2>&1; then
    zsh -n "$zcomp" || fail "zsh -n _tiara"
    # compinit finds _tiara on $fpath; a compadd that prints its words
    # stands in for the line editor, which a script does not have
    got=$(PATH="$(dirname "$bin"):$PATH" zsh -f -c '
        fpath=($1 $fpath)
        autoload -Uz compinit && compinit -u -d $2/zcompdump
        [[ $_comps[tiara] == _tiara ]] || { print "not for tiara"; exit 1 }
        compadd() { local a after=0; for a; do
            if (( after )) || [[ $a != -* ]]; then print -r -- $a; fi
            [[ $a == -- ]] && after=1; done }
        words=(tiara edit --mo) CURRENT=3 _tiara
        words=(tiara edit 1 --mode "") CURRENT=5 _tiara' \
        zsh "$(dirname "$zcomp")" "$WORK" 2>&1 | paste -sd ' ')
    case " $got " in
    *" --mode "*" --notes-file "*" in-person video phone ") ;;
    *) fail "zsh completion of 'tiara edit --mo', '--mode': $got" ;;
    esac
fi
fcomp=$(find "$DEST" -path '*/fish/vendor_completions.d/tiara.fish')
if command -v fish >/dev/null 2>&1; then
    fish -n "$fcomp" || fail "fish -n tiara.fish"
    got=$(PATH="$(dirname "$bin"):$PATH" fish -c 'source $argv[1]
        complete -C "tiara sch"; complete -C "tiara edit --mo"
        complete -C "tiara --color="' "$fcomp" | cut -f1 | paste -sd ' ')
    [ "$got" = "schedule --mode --color=always --color=auto --color=never" ] ||
        fail "fish completion: $got"
fi
[ -f "$(find "$DEST" -path '*/zsh/site-functions/_tiara')" ] ||
    fail "no zsh completion installed"
[ -f "$(find "$DEST" -path '*/fish/vendor_completions.d/tiara.fish')" ] ||
    fail "no fish completion installed"
finish
