#!/bin/bash
# SPDX-License-Identifier: MIT
# capture.sh - regenerate the captured multistatus answers in this folder
# from real servers: ./capture.sh radicale; ./capture.sh xandikos
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../integration/servers.sh"
kind=$1
server_start "$kind"
out="$here/$kind"
ics()
{
    printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20261101T100000Z\r\nDTSTART:20261201T100000Z\r\nDURATION:PT30M\r\nSUMMARY:%s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' "$1" "$2"
}
put() { ics "$2" "$3" | curl -s -o /dev/null -X PUT -H 'Content-Type: text/calendar' --data-binary @- "$CAL_URL$1"; }
dav()
{
    local method=$1 depth=$2 url=$3
    curl -s -X "$method" -H "Depth: $depth" -H 'Content-Type: application/xml' --data-binary @- "$url"
}
sc()
{
    dav REPORT 1 "$CAL_URL" <<XML
<?xml version="1.0" encoding="utf-8"?>
<D:sync-collection xmlns:D="DAV:"><D:sync-token>$1</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>
XML
}
dav PROPFIND 0 "$SERVER_URL/" > "$out-root.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:current-user-principal/><D:resourcetype/></D:prop></D:propfind>
XML
home=${CAL_URL%/*/}/
dav PROPFIND 1 "$home" > "$out-home.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:resourcetype/><D:displayname/><C:supported-calendar-component-set/></D:prop></D:propfind>
XML
put a.ics a-uid one
put 'b%20c%40d%25e.ics' 'b c@d%e' two
put c.ics c-uid three
dav PROPFIND 0 "$CAL_URL" > "$out-collection.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:resourcetype/><D:displayname/><CS:getctag/><D:sync-token/><C:supported-calendar-component-set/></D:prop></D:propfind>
XML
dav PROPFIND 1 "$CAL_URL" > "$out-etags.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getetag/></D:prop></D:propfind>
XML
sc "" > "$out-sync-initial.xml"
tok=$(sed -n 's/.*<\([a-zA-Z0-9]*:\)\{0,1\}sync-token>\([^<]*\)<.*/\2/p' "$out-sync-initial.xml" | tail -1)
put a.ics a-uid one-changed
curl -s -o /dev/null -X DELETE "${CAL_URL}c.ics"
sc "$tok" > "$out-sync-delta.xml"
sc "http://example.com/bogus-token" > "$out-sync-badtoken.xml" || true
dav REPORT 1 "$CAL_URL" > "$out-multiget.xml" <<XML
<?xml version="1.0" encoding="utf-8"?>
<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>${CAL_URL#$SERVER_URL}a.ics</D:href><D:href>${CAL_URL#$SERVER_URL}b%20c%40d%25e.ics</D:href><D:href>${CAL_URL#$SERVER_URL}missing.ics</D:href></C:calendar-multiget>
XML
# Make the captures independent of the port and the run.
sed -i "s#http://127.0.0.1:$SERVER_PORT##g; s#tiara-$$#tiara-test#g" "$out"-*.xml
