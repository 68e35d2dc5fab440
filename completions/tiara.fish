# SPDX-License-Identifier: MIT
# fish completion for tiara(1): commands, verbs, options, contacts, zones.
# Commands and options are read from tiara's own help, so a new command or
# option completes without a change here.

# The tiara being completed, with the --db given before the command.
function __tiara_run
    set -l tokens (commandline -opc)
    set -l prog $tokens[1]
    if not string match -q -- '*/*' $prog; or not test -x $prog
        set prog tiara
    end
    set -l db
    set -l i 2
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case --db
                if test $i -lt (count $tokens)
                    set db --db $tokens[(math $i + 1)]
                end
            case '--db=*'
                set db $tokens[$i]
        end
        set i (math $i + 1)
    end
    command $prog $db $argv 2>/dev/null
end

function __tiara_commands
    __tiara_run --help | awk '/^Commands:/ { on = 1; next }
        on && /^  [a-z]/ { name = $1; sub(/^ +[a-z]+ +/, ""); print name "\t" $0 }
        on && /^$/ { exit }'
    printf 'help\tthe usage of a command\n'
end

# Names from 'tiara contact list': the name column is 24 characters after
# the 5 of the id, padded with spaces, and cut with '…' when longer (part
# of a name is enough for tiara when it is unique).
function __tiara_contacts
    for line in (__tiara_run contact list)
        string match -qr '^[0-9]' -- $line; or continue
        set -l name (string sub -s 6 -l 24 -- $line)
        set name (string replace -r '  .*' '' -- $name)
        set name (string replace -r '…$' '' -- $name)
        set name (string trim -r -- $name)
        test -n "$name"; and echo $name
    end
end

function __tiara_zones
    if test -d /usr/share/zoneinfo
        find /usr/share/zoneinfo/ -type f -o -type l |
            string replace /usr/share/zoneinfo/ '' |
            string match -r '^[A-Z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*$'
    else
        timedatectl list-timezones 2>/dev/null
    end
end

# Whether option $argv[1] of command $argv[2] takes a value.
function __tiara_takes_value
    switch $argv[1]
        case --phone
            test "$argv[2]" = contact
        case -n
            contains -- "$argv[2]" timer log
        case --notes
            contains -- "$argv[2]" timer contact
        case --mode --notes-file -d --db --tz --referred-by --contact --cadence --thanks-in -o \
            --output --at --for -f --where --video --title --agenda -a \
            --warn -w --email --company --role --linkedin --name --from \
            --to --days --due --note --url --user --max-count --within
            return 0
        case '*'
            return 1
    end
end

function __tiara_value
    switch $argv[1]
        case --tz
            __tiara_zones
        case --referred-by --contact
            __tiara_contacts
        case --cadence
            printf '%s\n' quarterly semiannual none
        case --thanks-in
            printf '%s\n' mine host
        case --mode
            printf '%s\n' in-person video phone
        case --color
            printf '%s\n' auto always never
        case --db -o --output --notes-file
            __fish_complete_path (commandline -ct)
        case -n --notes
            test "$argv[2]" = timer; and __fish_complete_path (commandline -ct)
    end
end

function __tiara_options
    set -l opts
    switch "$argv[1]/$argv[2]"
        case contact/add
            set opts (__tiara_run help contact | string match -ar -- '--[a-z][a-z-]*' |
                string match -v -- --name | string match -v -- --force)
        case contact/edit
            set opts (__tiara_run help contact | string match -ar -- '--[a-z][a-z-]*' |
                string match -v -- --force)
        case contact/rm
            set opts --force
        case contact/import
            set opts --dry-run --strict --map --delimiter --cadence
        case calendar/add
            set opts --url --user --no-check
        case calendar/discover
            set opts --user
        case 'contact/*' 'calendar/*' 'conflicts/*' 'config/*'
        case '*'
            set opts (__tiara_run help $argv[1] | string match -ar -- '--[a-z][a-z-]*')
    end
    printf '%s\n' $opts --help | sort -u
end

# Operand number $argv[3] (from 0) of command $argv[1], verb $argv[2].
function __tiara_operand
    set -l cmd $argv[1]
    set -l verb $argv[2]
    set -l n $argv[3]
    switch $cmd
        case help
            test $n -eq 0; and __tiara_commands
        case contact calendar conflicts
            if test -z "$verb"
                switch $cmd
                    case contact
                        printf '%s\n' add list show edit rm import
                    case calendar
                        printf '%s\n' add list rm discover
                    case conflicts
                        printf '%s\n' list show restore
                end
            else if test $n -eq 1
                switch $cmd/$verb
                    case contact/show contact/edit contact/rm
                        __tiara_contacts
                    case calendar/rm
                        __tiara_run calendar list | cut -f1
                    case conflicts/show conflicts/restore
                        __tiara_run conflicts list | string replace -rf '^#([0-9]+).*' '$1'
                end
            end
        case schedule reschedule edit cancel rm show log prepared thank thanked \
            timer checkin told
            test $n -eq 0; and __tiara_contacts
        case sync
            test $n -eq 0; and __tiara_run calendar list | cut -f1
        case config
            if test -z "$verb"
                printf '%s\n' check path
            else if test $n -eq 1; and test "$verb" = check
                __fish_complete_path (commandline -ct)
            end
        case import
            test $n -eq 0; and __fish_complete_suffix .ics
    end
end

function __tiara_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l cmd ''
    set -l verb ''
    set -l n 0
    set -l before $tokens[1]
    set -e tokens[1]
    for word in $tokens
        set -l prev $before
        set before $word
        if string match -q -- '-*' $word
            continue
        else if string match -q -- '-*' $prev; and __tiara_takes_value $prev $cmd
            continue
        else if test -z "$cmd"
            set cmd $word
        else if test -z "$verb"; and contains -- $cmd contact calendar conflicts config
            set verb $word
            set n 1
        else
            set n (math $n + 1)
        end
    end
    if string match -q -- '--*=*' $cur
        set -l opt (string replace -r '=.*' '' -- $cur)
        for v in (__tiara_value $opt $cmd)
            echo "$opt=$v"
        end
    else if string match -q -- '-*' $before; and __tiara_takes_value $before $cmd
        __tiara_value $before $cmd
    else if test -z "$cmd"; and string match -q -- '-*' $cur
        printf '%s\n' --db --color --version --help
    else if test -z "$cmd"
        __tiara_commands
    else if string match -q -- '-*' $cur
        __tiara_options $cmd $verb
    else
        __tiara_operand $cmd $verb $n
    end
end

complete -c tiara -f -a '(__tiara_complete)'
