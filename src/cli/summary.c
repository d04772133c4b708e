/* guanjia (no command) / guanjia summary: what the estate holds. */
#include "cli.h"

#include "guanjia/db.h"
#include "guanjia/i18n.h"
#include "guanjia/money.h"
#include "guanjia/repo_check.h"
#include "guanjia/repo_settings.h"
#include "guanjia/utf8.h"

#include <stdio.h>

/* One "label  value" line: the label padded and the value right-aligned,
 * both by display width (a Chinese character takes two columns). */
static void text_line(const char *label, const char *value)
{
    int pad = 28 - gj_utf8_width(label), vpad = 14 - gj_utf8_width(value);
    printf("  %s%*s%*s%s\n", label, pad > 0 ? pad : 0, "", vpad > 0 ? vpad : 0, "", value);
}

static void line(const char *label, long long value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", value);
    text_line(label, buf);
}

int gj_cmd_summary(struct gj_cli *cli)
{
    if (cli->argc > 1)
        return gj_cli_usage(cli, _("takes no arguments"));
    struct gj_error err;
    struct gj_db *db = NULL;
    if (gj_db_open(cli->db_path, GJ_DB_READONLY, &db, &err) != GJ_OK)
        return gj_cli_fail_err("summary", &err);
    struct gj_estate_counts c;
    struct gj_setting name;
    int rc = gj_estate_count(db, &c, &err);
    if (rc == GJ_OK && gj_setting_get(db, "estate.name", &name, &err) != GJ_OK)
        name.value[0] = '\0';
    gj_db_close(db);
    if (rc != GJ_OK)
        return gj_cli_fail_err("summary", &err);
    printf("%s — %s\n", name.value[0] ? name.value : _("Estate"), cli->db_path);
    line(_("Units"), c.units);
    line(_("Persons"), c.persons);
    line(_("Owners (current)"), c.owners);
    line(_("Tenants (current)"), c.tenants);
    line(_("Vehicles"), c.vehicles);
    line(_("Parking spaces"), c.parking_spaces);
    line(_("Staff"), c.staff);
    line(_("Users"), c.users);
    line(_("Work orders"), c.work_orders);
    line(_("Work orders open"), c.work_orders_open);
    line(_("Complaints"), c.complaints);
    line(_("Complaints open"), c.complaints_open);
    line(_("Bills"), c.bills);
    line(_("Payments"), c.payments);
    line(_("Units in arrears"), c.units_in_arrears);
    char money[40];
    gj_money_format(c.arrears_fen, money, sizeof money);
    text_line(_("Arrears"), money);
    line(_("Audit log entries"), c.audit_rows);
    return GJ_EXIT_OK;
}
