/* SPDX-License-Identifier: MIT */
/* test_config.c - the INI settings file and where passwords come from */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "config.h"

static char dir[] = "/tmp/tiara-config-XXXXXX";

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    if (!f)
        return NULL;
    fputs(text, f);
    fclose(f);
    /* whatever the umask: a file holding a command must be the user's */
    return chmod(path, 0600) == 0 ? path : NULL;
}

static void test_defaults(void)
{
    struct config c;
    struct err e;
    char path[256];

    snprintf(path, sizeof(path), "%s/missing.ini", dir);
    CHECK(config_load(path, &c, &e) == 0);
    CHECK_INT(c.conflict, CONFIG_CONFLICT_NEWEST);
    CHECK_INT(c.notes, 0);
    CHECK_INT(c.max_delete, 5);
    CHECK_INT(c.ncals, 0);
    config_release(&c);
}

static void test_good(void)
{
    struct config c;
    struct err e;
    const struct config_calendar *cal;
    const char *p =
        write_file("good.ini", "; comment\n"
                               "[sync]\n"
                               "conflict = remote\n"
                               "notes = no\n"
                               "max_delete = 9\n"
                               "\n"
                               "[calendar work]\n"
                               "user = me\n"
                               "password_command = printf 's3cret\\nx'\n"
                               "todo = vevent\n"
                               "notes = yes\n"
                               "conflict = both\n");
    char *pw = NULL;

    CHECK(p != NULL);
    CHECK(config_load(p, &c, &e) == 0);
    CHECK_INT(c.conflict, CONFIG_CONFLICT_REMOTE);
    CHECK_INT(c.max_delete, 9);
    cal = config_calendar(&c, "work");
    CHECK(cal != NULL);
    if (cal) {
        CHECK_STR(cal->user, "me");
        CHECK_INT(cal->todo, CONFIG_TODO_VEVENT);
        CHECK_INT(cal->notes, 1);
        CHECK_INT(cal->conflict, CONFIG_CONFLICT_BOTH);
    }
    CHECK(config_calendar(&c, "home") == NULL);
    unsetenv("TIARA_PASSWORD");
    CHECK(config_password(&c, "work", &pw, &e) == 0);
    CHECK_STR(pw, "s3cret");
    free(pw);
    /* the environment comes before the command */
    setenv("TIARA_PASSWORD", "fromenv", 1);
    CHECK(config_password(&c, "work", &pw, &e) == 0);
    CHECK_STR(pw, "fromenv");
    free(pw);
    unsetenv("TIARA_PASSWORD");
    CHECK(config_password(&c, "home", &pw, &e) == 0);
    CHECK(pw == NULL);
    config_release(&c);
}

static void test_bad(void)
{
    struct config c;
    struct err e;
    const char *p;
    char *pw = NULL;

    p = write_file("bad1.ini", "[sync]\nconflict = newest\nconflcit = x\n");
    CHECK(config_load(p, &c, &e) < 0);
    CHECK_INT(e.kind, ERR_INPUT);
    CHECK(strstr(e.msg, "bad1.ini:3:") != NULL);
    CHECK(strstr(e.msg, "'conflcit'") != NULL);

    p = write_file("bad2.ini", "[calendar w]\n\ntodo = maybe\n");
    CHECK(config_load(p, &c, &e) < 0);
    CHECK(strstr(e.msg, "bad2.ini:3:") != NULL);
    CHECK(strstr(e.msg, "'todo'") != NULL);

    p = write_file("bad3.ini", "[sync]\nnotes = yes\nthis is not a pair\n");
    CHECK(config_load(p, &c, &e) < 0);
    CHECK(strstr(e.msg, "bad3.ini:3:") != NULL);

    p = write_file("bad4.ini", "[calendar w]\npassword_command = "
                               "echo hunter2; exit 3\n");
    CHECK(config_load(p, &c, &e) == 0);
    CHECK(config_password(&c, "w", &pw, &e) < 0);
    CHECK_INT(e.kind, ERR_AUTH);
    /* a failing command's output never reaches a message */
    CHECK(strstr(e.msg, "hunter2") == NULL);
    CHECK(pw == NULL);
    config_release(&c);
}

/* A command in a file others can write is refused; without one, such a
 * file is read. The new keys are read too. */
static void test_permissions(void)
{
    struct config c;
    struct err e;
    const char *p = write_file("open.ini", "[sync]\npassword_command = echo x\n"
                                           "adopt_invitations = yes\n");

    CHECK(p != NULL);
    CHECK(config_load(p, &c, &e) == 0);
    CHECK_INT(c.adopt, 1);
    config_release(&c);
    CHECK(chmod(p, 0666) == 0);
    CHECK(config_load(p, &c, &e) == -1);
    CHECK(strstr(e.msg, "holds a command but others can write to it"));
    p = write_file("t.ini",
                   "[sync]\ntimeout = 45s\n[calendar a]\ntimeout = 5\n");
    CHECK(config_load(p, &c, &e) == 0);
    CHECK_INT(c.timeout_s, 45);
    CHECK(config_calendar(&c, "a") && config_calendar(&c, "a")->timeout_s == 5);
    /* requests at once: 4 unless set, a calendar's over [sync]'s */
    CHECK_INT(c.connections, 4);
    CHECK_INT(config_calendar(&c, "a")->connections, 0);
    config_release(&c);
    p = write_file("n.ini",
                   "[sync]\nconnections = 1\n[calendar a]\nconnections = 8\n");
    CHECK(config_load(p, &c, &e) == 0);
    CHECK_INT(c.connections, 1);
    CHECK(config_calendar(&c, "a") &&
          config_calendar(&c, "a")->connections == 8);
    config_release(&c);
    p = write_file("t0.ini", "[sync]\ntimeout = 0\n");
    CHECK(config_load(p, &c, &e) == -1);
    CHECK(strstr(e.msg, "must be 1 to 3600 seconds"));
    p = write_file("plain.ini", "[defaults]\nagenda_busy = no\n");
    CHECK(chmod(p, 0666) == 0);
    CHECK(config_load(p, &c, &e) == 0);
    CHECK_INT(c.defaults.agenda_busy, 0);
    config_release(&c);
    /* the user's address: the setting, and TIARA_EMAIL over it */
    p = write_file("me.ini", "[defaults]\nemail = me@example.org\n");
    CHECK(config_load(p, &c, &e) == 0);
    unsetenv("TIARA_EMAIL");
    CHECK_STR(config_email(&c), "me@example.org");
    setenv("TIARA_EMAIL", "env@example.org", 1);
    CHECK_STR(config_email(&c), "env@example.org");
    unsetenv("TIARA_EMAIL");
    config_release(&c);
    p = write_file("me2.ini", "[defaults]\nemail = nobody\n");
    CHECK(config_load(p, &c, &e) == -1);
    CHECK(strstr(e.msg, "key 'email' in [defaults] must be an email address"));
}

/* The password variables leave the environment children inherit, and
 * stay readable by tiara itself. */
static void test_take_env_secrets(void)
{
    struct config c;
    struct err e;
    const char *p = write_file("env.ini", "[calendar a]\npassword_env = A_PW\n"
                                          "[calendar b]\npassword_env = A_PW\n"
                                          "[calendar c]\nuser = me\n");
    char *pw = NULL;

    CHECK(p != NULL);
    CHECK(config_load(p, &c, &e) == 0);
    setenv("A_PW", "pw-a", 1);
    setenv("TIARA_PASSWORD", "pw-global", 1);
    setenv("OTHER_VAR", "kept", 1);
    CHECK(config_take_env_secrets(&c, &e) == 0);
    CHECK(getenv("A_PW") == NULL);
    CHECK(getenv("TIARA_PASSWORD") == NULL);
    CHECK_STR(getenv("OTHER_VAR"), "kept");
    CHECK_INT(c.nsecrets, 2);
    CHECK_STR(config_getenv(&c, "TIARA_PASSWORD"), "pw-global");
    CHECK(config_password(&c, "b", &pw, &e) == 0);
    CHECK_STR(pw, "pw-a");
    free(pw);
    CHECK(config_password(&c, "c", &pw, &e) == 0);
    CHECK_STR(pw, "pw-global");
    free(pw);
    unsetenv("OTHER_VAR");
    config_release(&c);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    test_defaults();
    test_good();
    test_bad();
    test_permissions();
    test_take_env_secrets();
    {
        char cmd[300];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            return 1;
    }
    return CHECK_DONE();
}
