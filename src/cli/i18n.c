/* gettext set-up: translations found beside the binary, no locale needed. */
#include "cli.h"

#include "guanjia/i18n.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder holding <lang>/LC_MESSAGES/guanjia.mo. */
static void find_localedir(char *out, size_t outsz)
{
    const char *env = getenv("GUANJIA_LOCALEDIR");
    if (env && *env) {
        snprintf(out, outsz, "%s", env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            int w = snprintf(out, outsz, "%s/locale", exe); /* the build tree */
            if (w > 0 && (size_t)w < outsz && is_dir(out))
                return;
            w = snprintf(out, outsz, "%s/../share/locale", exe); /* installed */
            if (w > 0 && (size_t)w < outsz && is_dir(out))
                return;
        }
    }
    snprintf(out, outsz, "%s", "/usr/local/share/locale");
}

/* zh_CN when the environment asks for Chinese, else NULL. */
static const char *lang_from_env(void)
{
    const char *vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strncmp(v, "zh", 2) == 0 ? "zh_CN" : NULL;
    }
    return NULL;
}

int gj_i18n_init(const char *lang)
{
    if (lang && strcmp(lang, "zh_CN") != 0 && strcmp(lang, "en") != 0)
        return -1;
    if (!setlocale(LC_ALL, "") || strcmp(nl_langinfo(CODESET), "UTF-8") != 0) {
        /* The asked-for locale is not installed: keep UTF-8 and translate
         * through LANGUAGE, which gettext honours in any non-"C" locale. */
        if (!setlocale(LC_ALL, "C.UTF-8"))
            setlocale(LC_ALL, "C.utf8");
        if (!lang)
            lang = lang_from_env();
    }
    if (lang)
        setenv("LANGUAGE", lang, 1);
    char dir[PATH_MAX];
    find_localedir(dir, sizeof dir);
    bindtextdomain(GJ_TEXTDOMAIN, dir);
    bind_textdomain_codeset(GJ_TEXTDOMAIN, "UTF-8");
    textdomain(GJ_TEXTDOMAIN);
    return 0;
}
