// Read a tiara .ics with ical.js (Mozilla's parser, from npm) and print every
// component's instants in UTC, recurrences expanded with ical.js's own
// engine and the file's VTIMEZONEs, to compare with Python's reading.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const EXPAND = 6;
const fail = (msg) => {
  console.error(`check_icaljs: ${msg}`);
  process.exit(1);
};

const text = readFileSync(process.argv[2], "utf8");
let root;
try {
  root = new ICAL.Component(ICAL.parse(text));
} catch (e) {
  fail(`parse error: ${e.message}`);
}
if (root.name !== "vcalendar") fail("not a VCALENDAR");
for (const vtz of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtz);
}
const iso = (t) => t.toJSDate().toISOString().replace(/\.000Z$/, "Z");
const rows = [];
for (const comp of root.getAllSubcomponents()) {
  if (comp.name !== "vevent" && comp.name !== "vtodo") continue;
  const uid = comp.getFirstPropertyValue("uid");
  if (!uid) fail(`${comp.name} without UID`);
  const prop = comp.getFirstProperty("dtstart") || comp.getFirstProperty("due");
  if (!prop) fail(`${uid}: neither DTSTART nor DUE`);
  const tzid = prop.getParameter("tzid");
  if (tzid && !ICAL.TimezoneService.has(tzid)) fail(`${uid}: unknown TZID ${tzid}`);
  if (comp.hasProperty("rrule")) {
    const event = new ICAL.Event(comp);
    const it = event.iterator();
    for (let n = 0; n < EXPAND; n++) {
      const next = it.next();
      if (!next) break;
      const occ = event.getOccurrenceDetails(next).startDate;
      rows.push(`${uid} ${iso(occ)}`);
    }
  } else {
    rows.push(`${uid} ${iso(prop.getFirstValue())}`);
  }
}
console.log(rows.sort().join("\n"));
