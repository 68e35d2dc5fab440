# SPDX-License-Identifier: MIT
# bash completion for tiara(1): commands, verbs, options, contacts, zones.
# Commands and options are read from tiara's own help, so a new command or
# option completes without a change here.

# The tiara being completed, with the --db given before the command.
_tiara_run()
{
    local prog=${COMP_WORDS[0]} i
    local -a db=()

    [[ $prog == */* && -x $prog ]] || prog=tiara
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        --db) db=(--db "${COMP_WORDS[i + 1]}") ;;
        --db=*) db=("${COMP_WORDS[i]}") ;;
        esac
    done
    "$prog" "${db[@]}" "$@" 2>/dev/null
}

_tiara_commands()
{
    _tiara_run --help | awk '/^Commands:/ { on = 1; next }
        on && /^  [a-z]/ { print $1 } on && /^$/ { exit }'
}

# Every long option the command's help names.
_tiara_options()
{
    { _tiara_run help "$1" | grep -o -- '--[a-z][a-z-]*'; echo --help; } |
        sort -u
}

# Names from 'tiara contact list': the name column is 24 characters after
# the 5 of the id, padded with spaces, and cut with '…' when longer (part
# of a name is enough for tiara when it is unique).
_tiara_contacts()
{
    local line name
    _tiara_run contact list | while IFS= read -r line; do
        [[ $line == [0-9]* ]] || continue
        name=${line:5:24}
        name=${name%%  *}
        name=${name%…}
        name=${name%"${name##*[! ]}"}
        [[ -n $name ]] && printf '%s\n' "$name"
    done
}

_tiara_zones()
{
    local dir=/usr/share/zoneinfo
    if [[ -d $dir ]]; then
        (cd "$dir" && find . -type f -o -type l) | sed 's|^\./||' |
            grep -E '^[A-Z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$'
    else
        timedatectl list-timezones 2>/dev/null
    fi
}

# Add the words of stdin that start with $cur to COMPREPLY, escaped for
# the shell unless the user opened a quote.
_tiara_add()
{
    local w
    while IFS= read -r w; do
        [[ $w == "${cur#[\"\']}"* ]] || continue
        if [[ $cur == [\"\']* ]]; then
            COMPREPLY+=("$w")
        else
            COMPREPLY+=("$(printf '%q' "$w")")
        fi
    done
}

# Whether option $1 of command $2 takes a value (as the next word).
_tiara_takes_value()
{
    case $1 in
    --phone) [[ $2 == contact ]] ;;
    -n) [[ $2 == timer || $2 == log ]] ;;
    --notes) [[ $2 == timer || $2 == contact ]] ;;
    --mode | --notes-file | -d | --db | --tz | --referred-by | --contact | --cadence | --thanks-in | \
        -o | --output | --at | --for | -f | --where | --video | --title | \
        --agenda | -a | --warn | -w | --email | --company | --role | \
        --linkedin | --name | --from | --to | --days | --due | --note | \
        --url | --user | --max-count | --within) ;;
    *) return 1 ;;
    esac
}

# The values of option $1 of command $2; returns 2 for file names.
_tiara_value()
{
    case $1 in
    --tz) _tiara_zones ;;
    --referred-by | --contact) _tiara_contacts ;;
    --cadence) printf '%s\n' quarterly semiannual none ;;
    --thanks-in) printf '%s\n' mine host ;;
    --mode) printf '%s\n' in-person video phone ;;
    --color) printf '%s\n' auto always never ;;
    --db | -o | --output | --notes-file) return 2 ;;
    -n | --notes) [[ $2 == timer ]] && return 2 ;;
    esac
    return 0
}

_tiara_verb_options()
{
    case $1/$2 in
    contact/add) _tiara_options contact | grep -v -x -e --name -e --force \
        -e --dry-run -e --strict -e --map -e --delimiter ;;
    contact/edit) _tiara_options contact | grep -v -x -e --force \
        -e --dry-run -e --strict -e --map -e --delimiter ;;
    contact/rm) echo --force ;;
    contact/import)
        printf '%s\n' --dry-run --strict --map --delimiter --cadence ;;
    calendar/add) printf '%s\n' --url --user --no-check ;;
    calendar/discover) echo --user ;;
    esac
    echo --help
}

# Operand number $3 (from 0) of command $1, verb $2; returns 2 for files.
_tiara_operand()
{
    case $1 in
    help) [[ $3 -eq 0 ]] && _tiara_commands ;;
    contact | calendar | conflicts)
        if [[ -z $2 ]]; then
            case $1 in
            contact) printf '%s\n' add list show edit rm import ;;
            calendar) printf '%s\n' add list rm discover ;;
            conflicts) printf '%s\n' list show restore ;;
            esac
        elif [[ $3 -eq 1 ]]; then
            case $1/$2 in
            contact/show | contact/edit | contact/rm)
                _tiara_contacts ;;
            contact/import) return 2 ;;
            calendar/rm) _tiara_run calendar list | cut -f1 ;;
            conflicts/show | conflicts/restore)
                _tiara_run conflicts list | sed -n 's/^#\([0-9]*\).*/\1/p' ;;
            esac
        fi
        ;;
    schedule | reschedule | edit | cancel | rm | show | log | prepared | thank | \
        thanked | timer | checkin | told)
        [[ $3 -eq 0 ]] && _tiara_contacts ;;
    sync) [[ $3 -eq 0 ]] && _tiara_run calendar list | cut -f1 ;;
    config)
        [[ -z $2 ]] && printf '%s\n' check path
        [[ $3 -eq 1 && $2 == check ]] && return 2 ;;
    import) [[ $3 -eq 0 ]] && return 2 ;;
    esac
    return 0
}

# What may come at the cursor, one per line, given $cur, $prev, $cmd,
# $verb and $n from _tiara; returns 2 for file names.
_tiara_words()
{
    if [[ $prev == -* ]] && _tiara_takes_value "$prev" "$cmd"; then
        _tiara_value "$prev" "$cmd"
    elif [[ $prev == --color && -n $after_eq ]]; then
        _tiara_value --color
    elif [[ -z $cmd && $cur == -* ]]; then
        printf '%s\n' --db --color --version --help
    elif [[ -z $cmd ]]; then
        _tiara_commands
        echo help
    elif [[ $cur == -* && $cmd =~ ^(contact|calendar|conflicts|config)$ ]]; then
        _tiara_verb_options "$cmd" "$verb" | sort -u
    elif [[ $cur == -* ]]; then
        _tiara_options "$cmd"
    else
        _tiara_operand "$cmd" "$verb" "$n"
    fi
}

_tiara()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local cmd='' verb='' word before words i n=0 rc after_eq=''
    COMPREPLY=()
    # --tz=Eur arrives as '--tz' '=' 'Eur' (COMP_WORDBREAKS)
    if [[ $cur == = ]]; then
        cur='' after_eq=1
    elif [[ $prev == = ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 2]} after_eq=1
    fi
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]} before=${COMP_WORDS[i - 1]}
        if [[ $word == -* || $word == = || $before == = ]]; then
            continue
        elif [[ $before == -* ]] && _tiara_takes_value "$before" "$cmd"; then
            continue
        elif [[ -z $cmd ]]; then
            cmd=$word
        elif [[ -z $verb && $cmd =~ ^(contact|calendar|conflicts|config)$ ]]; then
            verb=$word
            n=1
        else
            n=$((n + 1))
        fi
    done
    words=$(_tiara_words)
    rc=$?
    [[ -n $words ]] && _tiara_add <<<"$words"
    if [[ $rc -eq 2 ]]; then
        compopt -o filenames 2>/dev/null
        mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
    fi
    return 0
}

complete -F _tiara tiara
