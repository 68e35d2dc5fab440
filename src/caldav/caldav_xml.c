/* SPDX-License-Identifier: MIT */
/* caldav_xml.c - WebDAV multistatus parsed with libxml2's streaming reader */
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#include "caldav.h"
#include "util.h"

#define NS_DAV "DAV:"
#define NS_CALDAV "urn:ietf:params:xml:ns:caldav"
#define NS_CS "http://calendarserver.org/ns/"

#define MAX_DEPTH 32

/* Which elements matter; everything else is skipped. */
enum el {
    EL_OTHER,
    EL_MULTISTATUS,
    EL_RESPONSE,
    EL_HREF,
    EL_STATUS,
    EL_PROPSTAT,
    EL_PROP,
    EL_GETETAG,
    EL_GETCTAG,
    EL_SYNC_TOKEN,
    EL_DISPLAYNAME,
    EL_RESOURCETYPE,
    EL_COLLECTION,
    EL_CALENDAR,
    EL_CALENDAR_DATA,
    EL_PRINCIPAL,
    EL_HOME_SET,
    EL_COMPSET,
    EL_COMP,
    EL_SYNC_COLLECTION,
};

static const struct {
    const char *ns, *name;
    enum el el;
} known[] = {
    {NS_DAV, "multistatus", EL_MULTISTATUS},
    {NS_DAV, "response", EL_RESPONSE},
    {NS_DAV, "href", EL_HREF},
    {NS_DAV, "status", EL_STATUS},
    {NS_DAV, "propstat", EL_PROPSTAT},
    {NS_DAV, "prop", EL_PROP},
    {NS_DAV, "getetag", EL_GETETAG},
    {NS_CS, "getctag", EL_GETCTAG},
    {NS_DAV, "sync-token", EL_SYNC_TOKEN},
    {NS_DAV, "displayname", EL_DISPLAYNAME},
    {NS_DAV, "resourcetype", EL_RESOURCETYPE},
    {NS_DAV, "collection", EL_COLLECTION},
    {NS_CALDAV, "calendar", EL_CALENDAR},
    {NS_CALDAV, "calendar-data", EL_CALENDAR_DATA},
    {NS_DAV, "current-user-principal", EL_PRINCIPAL},
    {NS_CALDAV, "calendar-home-set", EL_HOME_SET},
    {NS_CALDAV, "supported-calendar-component-set", EL_COMPSET},
    {NS_CALDAV, "comp", EL_COMP},
    {NS_DAV, "sync-collection", EL_SYNC_COLLECTION},
};

/* The properties of one propstat (kept only if its status is 2xx) or of
 * the whole response. */
struct props {
    char *etag, *ctag, *sync_token, *displayname, *calendar_data;
    char *principal, *home_set;
    int is_collection, is_calendar, supports_sync;
    unsigned components;
};

struct parser {
    enum el stack[MAX_DEPTH];
    int depth;
    struct buf text; /* text of the element being read */
    int collecting;
    char *href;
    int status;       /* response-level */
    int ps_status;    /* of the current propstat */
    struct props ps;  /* current propstat */
    struct props all; /* accepted so far in this response */
    struct caldav_multistatus *ms;
    char errmsg[160];
};

static void props_release(struct props *p)
{
    free(p->etag);
    free(p->ctag);
    free(p->sync_token);
    free(p->displayname);
    free(p->calendar_data);
    free(p->principal);
    free(p->home_set);
    memset(p, 0, sizeof(*p));
}

static void take(char **dst, char **src)
{
    if (*src) {
        free(*dst);
        *dst = *src;
        *src = NULL;
    }
}

/* Move an accepted propstat's properties into the response's. */
static void props_merge(struct props *all, struct props *ps)
{
    take(&all->etag, &ps->etag);
    take(&all->ctag, &ps->ctag);
    take(&all->sync_token, &ps->sync_token);
    take(&all->displayname, &ps->displayname);
    take(&all->calendar_data, &ps->calendar_data);
    take(&all->principal, &ps->principal);
    take(&all->home_set, &ps->home_set);
    all->is_collection |= ps->is_collection;
    all->is_calendar |= ps->is_calendar;
    all->supports_sync |= ps->supports_sync;
    all->components |= ps->components;
    props_release(ps);
}

static enum el classify(xmlTextReaderPtr r)
{
    const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
    const char *name = (const char *)xmlTextReaderConstLocalName(r);
    size_t i;

    if (!ns || !name)
        return EL_OTHER;
    for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(known[i].ns, ns) == 0 && strcmp(known[i].name, name) == 0)
            return known[i].el;
    return EL_OTHER;
}

/* "HTTP/1.1 404 Not Found" -> 404 (RFC 4918 14.28) */
static int parse_status(const char *s)
{
    const char *sp = strchr(s, ' ');
    long code;
    char num[4];

    if (!sp || strlen(sp + 1) < 3)
        return 0;
    memcpy(num, sp + 1, 3);
    num[3] = '\0';
    if (util_parse_long(num, 100, 599, &code) < 0)
        return 0;
    return (int)code;
}

static enum el parent(const struct parser *p, int up)
{
    int i = p->depth - 1 - up;
    return i >= 0 && i < MAX_DEPTH ? p->stack[i] : EL_OTHER;
}

static char *trimmed(const struct buf *b)
{
    const char *s = b->data ? b->data : "";
    size_t n = b->len;

    while (n && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r' ||
                 s[n - 1] == '\t'))
        n--;
    return strndup(s, n);
}

/* An element we read text from has ended: store its text. */
static int finish_text(struct parser *p, enum el el)
{
    char *t;
    enum el up = parent(p, 1);

    if (el == EL_CALENDAR_DATA) {
        /* keep the text exactly as sent: it is hashed and imported */
        t = strndup(p->text.data ? p->text.data : "", p->text.len);
    } else {
        t = trimmed(&p->text);
    }
    if (!t)
        return -1;
    switch (el) {
    case EL_HREF:
        if (up == EL_RESPONSE && !p->href) {
            p->href = t;
            return 0;
        }
        if (up == EL_PRINCIPAL && !p->ps.principal) {
            p->ps.principal = t;
            return 0;
        }
        if (up == EL_HOME_SET && !p->ps.home_set) {
            p->ps.home_set = t;
            return 0;
        }
        break;
    case EL_STATUS:
        if (up == EL_RESPONSE)
            p->status = parse_status(t);
        else if (up == EL_PROPSTAT)
            p->ps_status = parse_status(t);
        break;
    case EL_GETETAG:
        take(&p->ps.etag, &t);
        break;
    case EL_GETCTAG:
        take(&p->ps.ctag, &t);
        break;
    case EL_SYNC_TOKEN:
        if (up == EL_MULTISTATUS) {
            take(&p->ms->sync_token, &t);
        } else {
            take(&p->ps.sync_token, &t);
        }
        break;
    case EL_DISPLAYNAME:
        take(&p->ps.displayname, &t);
        break;
    case EL_CALENDAR_DATA:
        take(&p->ps.calendar_data, &t);
        break;
    default:
        break;
    }
    free(t);
    return 0;
}

static int wants_text(enum el el)
{
    return el == EL_HREF || el == EL_STATUS || el == EL_GETETAG ||
           el == EL_GETCTAG || el == EL_SYNC_TOKEN || el == EL_DISPLAYNAME ||
           el == EL_CALENDAR_DATA;
}

static void reset_response(struct parser *p)
{
    free(p->href);
    p->href = NULL;
    p->status = 0;
    p->ps_status = 0;
    props_release(&p->ps);
    props_release(&p->all);
}

static int end_element(struct parser *p, enum el el, caldav_item_fn fn,
                       void *ctx)
{
    int rc = 0;

    if (p->collecting && wants_text(el)) {
        if (finish_text(p, el) < 0)
            return -1;
        p->collecting = 0;
    }
    if (el == EL_PROPSTAT) {
        /* RFC 4918 9.1.2: only a 2xx propstat carries values */
        if (p->ps_status >= 200 && p->ps_status < 300)
            props_merge(&p->all, &p->ps);
        else
            props_release(&p->ps);
        p->ps_status = 0;
    } else if (el == EL_RESPONSE) {
        struct caldav_item it;

        p->ms->responses++;
        memset(&it, 0, sizeof(it));
        it.href = p->href ? p->href : "";
        it.status = p->status;
        it.etag = p->all.etag;
        it.ctag = p->all.ctag;
        it.sync_token = p->all.sync_token;
        it.displayname = p->all.displayname;
        it.calendar_data = p->all.calendar_data;
        it.principal = p->all.principal;
        it.home_set = p->all.home_set;
        it.is_collection = p->all.is_collection;
        it.is_calendar = p->all.is_calendar;
        it.components = p->all.components;
        it.supports_sync = p->all.supports_sync;
        /* RFC 6578 3.6: a 507 for the collection itself says the answer
         * was cut short and should be asked for again from the new token. */
        if (p->status == 507)
            p->ms->truncated = 1;
        else if (fn)
            rc = fn(&it, ctx);
        reset_response(p);
    }
    return rc;
}

static int start_element(struct parser *p, xmlTextReaderPtr r, enum el el)
{
    enum el up = parent(p, 1); /* 'el' is already on the stack */

    switch (el) {
    case EL_RESPONSE:
        reset_response(p);
        break;
    case EL_COLLECTION:
        if (up == EL_RESOURCETYPE)
            p->ps.is_collection = 1;
        break;
    case EL_CALENDAR:
        if (up == EL_RESOURCETYPE)
            p->ps.is_calendar = 1;
        break;
    case EL_SYNC_COLLECTION:
        p->ps.supports_sync = 1;
        break;
    case EL_COMP:
        if (up == EL_COMPSET) {
            xmlChar *name = xmlTextReaderGetAttribute(r, BAD_CAST "name");
            const char *n = (const char *)name;
            if (!n)
                break;
            if (util_streq_ci(n, "VEVENT"))
                p->ps.components |= CALDAV_COMP_VEVENT;
            else if (util_streq_ci(n, "VTODO"))
                p->ps.components |= CALDAV_COMP_VTODO;
            else if (util_streq_ci(n, "VJOURNAL"))
                p->ps.components |= CALDAV_COMP_VJOURNAL;
            else
                p->ps.components |= CALDAV_COMP_OTHER;
            xmlFree(name);
        }
        break;
    default:
        break;
    }
    if (wants_text(el)) {
        p->text.len = 0;
        if (p->text.data)
            p->text.data[0] = '\0';
        p->collecting = 1;
    }
    return 0;
}

static void on_error(void *arg, const char *msg, xmlParserSeverities sev,
                     xmlTextReaderLocatorPtr loc)
{
    struct parser *p = arg;
    size_t n;

    if (sev != XML_PARSER_SEVERITY_ERROR || p->errmsg[0])
        return;
    snprintf(p->errmsg, sizeof(p->errmsg), "line %d: %s",
             xmlTextReaderLocatorLineNumber(loc), msg);
    n = strlen(p->errmsg);
    while (n && (p->errmsg[n - 1] == '\n' || p->errmsg[n - 1] == ' '))
        p->errmsg[--n] = '\0';
}

static int run(xmlTextReaderPtr r, const char *what, caldav_item_fn fn,
               void *ctx, struct caldav_multistatus *ms, struct err *err)
{
    int ret = -1, rc, seen_root = 0;
    struct parser p;

    memset(&p, 0, sizeof(p));
    memset(ms, 0, sizeof(*ms));
    buf_init(&p.text);
    p.ms = ms;
    if (!r) {
        err_set(err, ERR_NOMEM, "cannot start the XML reader");
        goto out;
    }
    xmlTextReaderSetErrorHandler(r, on_error, &p);
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);

        if (type == XML_READER_TYPE_ELEMENT) {
            enum el el = classify(r);
            int empty = xmlTextReaderIsEmptyElement(r);

            if (!seen_root) {
                seen_root = 1;
                if (el != EL_MULTISTATUS) {
                    err_set(err, ERR_PARSE,
                            "answer from '%s' is not a WebDAV multistatus",
                            what);
                    goto out;
                }
            }
            if (p.depth < MAX_DEPTH)
                p.stack[p.depth] = el;
            p.depth++;
            start_element(&p, r, el);
            if (empty) {
                rc = end_element(&p, el, fn, ctx);
                p.depth--;
                if (rc) {
                    ret = rc;
                    goto out;
                }
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            enum el el = parent(&p, 0);

            rc = end_element(&p, el, fn, ctx);
            p.depth--;
            if (rc) {
                ret = rc;
                goto out;
            }
        } else if ((type == XML_READER_TYPE_TEXT ||
                    type == XML_READER_TYPE_CDATA ||
                    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                    type == XML_READER_TYPE_WHITESPACE) &&
                   p.collecting) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            if (v && buf_adds(&p.text, v) < 0) {
                err_set(err, ERR_NOMEM, "out of memory");
                goto out;
            }
        }
    }
    if (rc < 0 || p.errmsg[0]) {
        err_set(err, ERR_PARSE, "malformed XML from '%s': %s", what,
                p.errmsg[0] ? p.errmsg : "cannot parse");
        goto out;
    }
    if (!seen_root) {
        err_set(err, ERR_PARSE, "empty answer from '%s'", what);
        goto out;
    }
    ret = 0;
out:
    if (r)
        xmlFreeTextReader(r);
    reset_response(&p);
    buf_release(&p.text);
    if (ret != 0)
        caldav_multistatus_release(ms);
    return ret;
}

/* No network access and no entity expansion: the XML comes from a
 * server we do not control. */
#define READER_OPTS (XML_PARSE_NONET | XML_PARSE_NOBLANKS)

int caldav_xml_parse_mem(const char *data, size_t len, const char *what,
                         caldav_item_fn fn, void *ctx,
                         struct caldav_multistatus *ms, struct err *err)
{
    if (len > 0x7fffffff)
        return err_set(err, ERR_PARSE, "answer from '%s' is too large", what);
    return run(
        xmlReaderForMemory(data ? data : "", (int)len, NULL, NULL, READER_OPTS),
        what, fn, ctx, ms, err);
}

int caldav_xml_parse_fd(int fd, const char *what, caldav_item_fn fn, void *ctx,
                        struct caldav_multistatus *ms, struct err *err)
{
    return run(xmlReaderForFd(fd, NULL, NULL, READER_OPTS), what, fn, ctx, ms,
               err);
}

void caldav_multistatus_release(struct caldav_multistatus *ms)
{
    if (!ms)
        return;
    free(ms->sync_token);
    memset(ms, 0, sizeof(*ms));
}

char *caldav_xml_escape(const char *s)
{
    struct buf b;
    int rc = 0;

    buf_init(&b);
    if (buf_adds(&b, "") < 0)
        return NULL;
    for (; *s && rc == 0; s++) {
        switch (*s) {
        case '&':
            rc = buf_adds(&b, "&amp;");
            break;
        case '<':
            rc = buf_adds(&b, "&lt;");
            break;
        case '>':
            rc = buf_adds(&b, "&gt;");
            break;
        case '"':
            rc = buf_adds(&b, "&quot;");
            break;
        default:
            rc = buf_add(&b, s, 1);
        }
    }
    if (rc < 0) {
        buf_release(&b);
        return NULL;
    }
    return buf_steal(&b);
}

static int unreserved(unsigned char c)
{
    /* RFC 3986 2.3 */
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *caldav_href_normalise(const char *href)
{
    size_t scheme = http_scheme_len(href);
    const char *s = href;
    struct buf b;
    int rc = 0;

    if (scheme) {
        /* the path begins after the authority (RFC 3986 3.2) */
        s = href + scheme + strcspn(href + scheme, "/?#");
        if (*s != '/')
            s = "/";
    }
    buf_init(&b);
    if (buf_adds(&b, "") < 0)
        return NULL;
    for (; *s && *s != '?' && *s != '#' && rc == 0; s++) {
        unsigned char c = (unsigned char)*s;
        char enc[4];

        /* RFC 3986 6.2.2: decode, then encode one way only */
        if (c == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
            c = (unsigned char)(hexval(s[1]) * 16 + hexval(s[2]));
            s += 2;
            if (c == '/') {
                /* an encoded slash is data, not a separator: keep it */
                rc = buf_adds(&b, "%2F");
                continue;
            }
        }
        if (unreserved(c) || c == '/') {
            rc = buf_add(&b, (const char *)&c, 1);
        } else {
            snprintf(enc, sizeof(enc), "%%%02X", c);
            rc = buf_adds(&b, enc);
        }
    }
    if (rc < 0) {
        buf_release(&b);
        return NULL;
    }
    return buf_steal(&b);
}

char *caldav_href_for_uid(const char *collection, const char *uid)
{
    struct buf b;
    const char *s;
    int folded = 0, rc;
    uint32_t h = 2166136261u; /* FNV-1a */

    buf_init(&b);
    rc = buf_adds(&b, collection);
    for (s = uid; *s && rc == 0; s++) {
        unsigned char c = (unsigned char)*s;

        h = (h ^ c) * 16777619u;
        if (unreserved(c) && c != '~') {
            rc = buf_add(&b, s, 1);
        } else {
            folded = 1;
            rc = buf_adds(&b, "_");
        }
    }
    if (rc == 0 && folded)
        rc = buf_printf(&b, "-%08x", (unsigned)h);
    if (rc == 0)
        rc = buf_adds(&b, ".ics");
    if (rc < 0) {
        buf_release(&b);
        return NULL;
    }
    return buf_steal(&b);
}
