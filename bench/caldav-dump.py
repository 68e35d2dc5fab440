# SPDX-License-Identifier: MIT
# caldav-dump.py - write each item of a calendar to DIR/<name>.ics (one
# calendar-multiget), so curl and vdirsyncer can send the same entries.
# usage: caldav-dump.py CALENDAR_URL DIR
import os
import sys
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

url, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
body = (b'<?xml version="1.0" encoding="utf-8"?>'
        b'<C:calendar-query xmlns:D="DAV:" '
        b'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/>'
        b'</D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter>'
        b'</C:calendar-query>')
req = urllib.request.Request(url, data=body, method="REPORT",
                             headers={"Depth": "1",
                                      "Content-Type": "application/xml"})
tree = ET.parse(urllib.request.urlopen(req))
ns = {"D": "DAV:", "C": "urn:ietf:params:xml:ns:caldav"}
n = 0
for resp in tree.getroot().findall("D:response", ns):
    href = resp.find("D:href", ns).text
    data = resp.find(".//C:calendar-data", ns)
    if data is None or not data.text:
        continue
    name = urllib.parse.unquote(href.rstrip("/").rsplit("/", 1)[-1])
    text = data.text.replace("\r\n", "\n").replace("\n", "\r\n")
    with open(os.path.join(out, name), "w", newline="") as f:
        f.write(text)
    n += 1
print(n)
