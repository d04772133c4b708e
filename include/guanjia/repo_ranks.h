/* What the rank rules (ranks.h) need to know about a user, read from the
 * training records, the complaints and the audit log; and the promotion
 * itself. */
#ifndef GUANJIA_REPO_RANKS_H
#define GUANJIA_REPO_RANKS_H

#include <stdint.h>
#include "guanjia/db.h"
#include "guanjia/ranks.h"

/* The facts the rank rules need for user_id at now (records later than now
 * are not counted):
 *   rank                  users.rank;
 *   chapters_passed       chapters whose best quiz result is >= 80% (quiz_results);
 *   walkthrough_done      training_progress item "walkthrough" with status passed;
 *   assessments           how many assessments of the user there are, and
 *   assessment_avg_x100   the average of all four dimensions of all of them, x100,
 *                         rounded down (0 when there is none);
 *   months_at_rank        whole calendar months (local time) since the rank was
 *                         last changed (the audit log of users.rank), else since
 *                         the user was created;
 *   revisits              revisits (回访) recorded on complaints the user handles
 *                         (assignee), and
 *   satisfaction_avg_x100 their satisfaction average x100, rounded down.
 * GJ_ENOTFOUND for an unknown user, GJ_EINVAL for a rank code the rules do
 * not know. */
int gj_rank_facts(struct gj_db *db, int64_t user_id, int64_t now, struct gj_rank_facts *out,
                  struct gj_error *err);

/* Promotes user_id one rank, from the rank it holds now to the next, by
 * actor, in one transaction: version-checked like other user updates (a
 * concurrent change gives GJ_ECONFLICT naming who and when) and audited,
 * so the audit log dates the new rank. The caller checks eligibility
 * (gj_rank_next) and permission (GJ_ACTION_MANAGE_USERS). A user already
 * at the top rank gives GJ_EINVAL; an unknown one GJ_ENOTFOUND. */
int gj_user_promote(struct gj_db *db, int64_t actor, int64_t user_id, struct gj_error *err);

#endif
