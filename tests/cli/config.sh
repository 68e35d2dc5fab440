#!/usr/bin/env bash
# tiara config: the settings in force and whence each came, with an
# option over the environment over the file over the default; check.
. "$(dirname "$0")/../lib.sh"

unset TIARA_CONFIG
ok config
has "settings file $WORK/.config/tiara/config.ini (none there: the defaults)"
has "  length               30 (default)"

# Every key 'config' shows is one the file may set.
export TIARA_CONFIG=$WORK/config.ini
cat >"$TIARA_CONFIG" <<'INI'
[defaults]
length = 45
cadence = semiannual
thanks_zone = host
agenda_busy = no
email = file@example.org
color = always
[sync]
conflict = local
notes = yes
adopt_invitations = yes
timeout = 10
connections = 2
max_delete = 3
password_command = echo x
[mail]
name = Sam Doe
command = msmtp -t
[calendar work]
user = sam
INI
chmod 600 "$TIARA_CONFIG"
ok config check
has "$WORK/config.ini: good (16 settings)"
ok config
for key in $(sed -n '/^\[defaults\]/,/^\[calendar/p' <<<"$out" | awk '/^  / {print $1}'); do
    grep -q "^$key = " "$TIARA_CONFIG" || fail "config shows '$key', which the test file does not set"
done
has "  length               45 (file)"
has "  max_delete           3 (file)"
has "  connections          2 (file)"
has "  command              msmtp -t (file)"
has "[calendar work]"
has "  user                 sam (file)"

# Precedence: the environment over the file, an option over both.
has "  your address         file@example.org (file)"
TIARA_EMAIL=env@example.org ok config
has "  your address         env@example.org (TIARA_EMAIL)"
# colour: the file, then NO_COLOR (any value, even empty), then --color
has "  color                always (file)"
NO_COLOR= ok config
has "  color                never (NO_COLOR)"
NO_COLOR=1 ok --color=auto config
has "  color                auto (--color)"
ok --color config
has "  color                always (--color)"
refused 2 "--color is auto, always or never, not 'sometimes'" --color=sometimes config
printf '[defaults]\ncolor = pink\n' >"$WORK/bad.ini"
refused 1 "$WORK/bad.ini:2: key 'color' in [defaults] must be auto, always or never" config check "$WORK/bad.ini"
TIARA_DB=$WORK/env.db ok config
has "  database             $WORK/env.db (TIARA_DB)"
TIARA_DB=$WORK/env.db ok --db "$WORK/opt.db" config
has "  database             $WORK/opt.db (--db)"
TIARA_TZ=Asia/Tokyo ok config
has "  zone                 Asia/Tokyo (TIARA_TZ)"
TIARA_PASSWORD=s3cret ok config
lacks "s3cret"
has "(set, not shown)"
ok config path
[ "$out" = "$WORK/config.ini" ] || fail "config path: $out"

# check names the bad line, in the settings file or another.
printf '[sync]\ntimeout = forever\n' >"$WORK/bad.ini"
refused 1 "$WORK/bad.ini:2: key 'timeout' in [sync] must be 1 to 3600 seconds" config check "$WORK/bad.ini"
TIARA_CONFIG=$WORK/bad.ini refused 1 "$WORK/bad.ini:2:" config check
printf '[sync]\nconnections = 4\n[calendar w]\nconnections = 17\n' >"$WORK/bad.ini"
refused 1 "$WORK/bad.ini:4: key 'connections' in [calendar w] must be 1 to 16" config check "$WORK/bad.ini"
printf '[sync]\nconnections = 0\n' >"$WORK/bad.ini"
refused 1 "$WORK/bad.ini:2: key 'connections' in [sync] must be 1 to 16" config check "$WORK/bad.ini"
TIARA_CONFIG=$WORK/bad.ini refused 1 "$WORK/bad.ini:2:" config
refused 1 "cannot read '$WORK/none.ini'" config check "$WORK/none.ini"
refused 2 "'show' is not check or path" config show

finish
