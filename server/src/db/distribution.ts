/**
 * How each table would be placed on Citus (docs/deploy.md, "Beyond one primary: Citus"): distributed by the
 * region key (the region-level unit a record belongs to), or a reference table copied to every node
 * (dictionaries, frameworks: small, read everywhere). A new table must be added here; server/test/citus.test.ts
 * checks Citus's rules on the migrated schema against this table.
 */
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Db } from './client.js';

export const DISTRIBUTION_COLUMN = 'region_id';

/**
 * The region of a unit, as the value of a `region_id` column: `dl_region(unit)` (migration 0015), the top
 * unit's child on the unit's path, or the top unit itself. A function call and not a subquery, so that Citus
 * evaluates it on the coordinator and routes the INSERT to the region's shard.
 */
/** The region of rows that belong to no unit (e.g. an audit entry of a system job): a shard of their own. */
export const NO_REGION = '00000000-0000-0000-0000-000000000000';

export function regionOf(unitId: string | SQLWrapper): SQL {
  return sql`dl_region(${unitId})`;
}

/**
 * The tables that carry the distribution key so far, each with the column of the unit its region is taken
 * from. `rehomeSubtree` keeps them right when a unit moves to another region.
 */
export const regionTables: Record<string, string> = {
  // reports
  report_window_targets: 'unit_id',
  report_submissions: 'unit_id',
  // files: attachment_links follow their attachment (ON UPDATE CASCADE of their foreign key)
  attachments: 'unit_id',
  // duty, outputs, accountability (migration 0017)
  // plan_items follow their plan, leading_group_members and duty_assignments their unit's leading group (cascade)
  plans: 'unit_id',
  tasks: 'unit_id',
  leading_groups: 'unit_id',
  duty_letters: 'unit_id',
  work_outputs: 'unit_id',
  accountability_records: 'subject_unit_id',
  // meetings & channels (migration 0018): attendees, absentees, note reads, channel reviewers, publications (and
  // their steps) and self-check results follow their parent row (ON UPDATE CASCADE of their foreign key)
  meetings: 'unit_id',
  study_plans: 'unit_id',
  study_notes: 'unit_id',
  channels: 'unit_id',
  event_filings: 'unit_id',
  self_check_rounds: 'unit_id',
  // opinion (migration 0019): measures and comments follow their report, entries and responses their event,
  // versions and drills their plan, bulletin reads their recipient row (ON UPDATE CASCADE of their foreign keys)
  analysis_reports: 'unit_id',
  opinion_events: 'unit_id',
  response_plans: 'unit_id',
  bulletin_recipients: 'unit_id',
  // assessment & rectify (migration 0020): scores follow their target row (assessment_cycle_units); findings,
  // items and re-checks follow their inspection (ON UPDATE CASCADE of their foreign keys)
  assessment_cycle_units: 'unit_id',
  inspections: 'inspected_unit_id',
  // core (migration 0021): audit entries keep the region they were written in (append-only, one chain per region)
  notifications: 'unit_id',
  unit_webhooks: 'unit_id',
  ledger_exports: 'unit_id',
};

/**
 * After a move of the subtree under `pathPrefix`: the rows of its units take their new region. (On Citus a
 * change of the distribution column is a delete and an insert on another shard; there this becomes a
 * re-insert. Units move rarely: a reorganization.)
 */
export async function rehomeSubtree(db: Db, pathPrefix: string): Promise<void> {
  for (const [table, unitColumn] of Object.entries(regionTables)) {
    await db.execute(
      sql`UPDATE ${sql.identifier(table)} SET region_id = dl_region(${sql.identifier(unitColumn)})
          WHERE ${sql.identifier(unitColumn)} IN (SELECT id FROM units WHERE path LIKE ${`${pathPrefix}%`})
            AND region_id IS DISTINCT FROM dl_region(${sql.identifier(unitColumn)})`,
    );
  }
}

/**
 * distributed: sharded by region_id, co-located by it. reference: copied to every node. local: a
 * coordinator-local table (Citus `citus_add_local_table_to_metadata`): small, looked up by a key that names no
 * region (a session's token hash, a job's idempotency key, a login attempt of a username that may not exist),
 * written by the coordinator; it may refer to reference tables, and nothing distributed or reference refers to it.
 */
export type Placement = 'distributed' | 'reference' | 'local';

export const placement: Record<string, Placement> = {
  // organization: the tree, the people and their posts are reference tables. They are read by nearly every
  // statement (subtree scope is a join to units.path; actors and reviewers are people), change rarely, and are
  // small for a reference table (a province: ≈31,000 units, ≈300,000 people and posts); as reference tables
  // every foreign key from a record to its unit or to a person is allowed and every such join stays on its node.
  units: 'reference',
  people: 'reference',
  posts: 'reference',
  sessions: 'local',
  notifications: 'distributed',
  unit_webhooks: 'distributed',
  // files, exports, jobs
  attachments: 'distributed',
  attachment_links: 'distributed',
  ledger_exports: 'distributed',
  job_runs: 'local',
  // audit
  audit_entries: 'distributed',
  login_log: 'local',
  // responsibilities
  leading_groups: 'distributed',
  leading_group_members: 'distributed',
  duty_assignments: 'distributed',
  duty_letters: 'distributed',
  // plans & tasks
  plans: 'distributed',
  plan_items: 'distributed',
  tasks: 'distributed',
  // meetings & study
  meetings: 'distributed',
  meeting_attendees: 'distributed',
  meeting_absentees: 'distributed',
  study_plans: 'distributed',
  study_notes: 'distributed',
  study_note_reads: 'distributed',
  // channels
  channels: 'distributed',
  channel_reviewers: 'distributed',
  publications: 'distributed',
  publication_steps: 'distributed',
  event_filings: 'distributed',
  self_check_rounds: 'distributed',
  self_check_results: 'distributed',
  // analysis & opinion
  analysis_reports: 'distributed',
  analysis_measures: 'distributed',
  analysis_comments: 'distributed',
  opinion_events: 'distributed',
  opinion_event_entries: 'distributed',
  opinion_event_responses: 'distributed',
  response_plans: 'distributed',
  response_plan_versions: 'distributed',
  response_drills: 'distributed',
  // a bulletin is issued by an upper unit to units of many regions (a county's bulletin to all its towns): as a
  // reference table its recipients and reads, distributed by the recipient unit's region, keep their foreign keys
  // to it. Bulletins are few (a handful per issuing unit a month) and read by every recipient.
  bulletins: 'reference',
  bulletin_recipients: 'distributed',
  bulletin_reads: 'distributed',
  // reports & assessment. A report window is issued by an upper unit to units of many regions (a province's
  // half-year window targets every unit): as a reference table its targets and submissions, distributed by
  // their own unit's region, keep their foreign keys to it. Windows are few (a handful per issuing unit a year).
  report_windows: 'reference',
  report_window_targets: 'distributed',
  report_submissions: 'distributed',
  // An assessment cycle is opened by an upper unit over the units of its subtree (the county's towns, a
  // province's counties: many regions): as a reference table its target rows and scores, distributed by the
  // target unit's region, keep their foreign keys to it. Cycles are few (one or two per organizing unit a year).
  assessment_cycles: 'reference',
  assessment_cycle_units: 'distributed',
  assessment_scores: 'distributed',
  // inspection, accountability, outputs
  inspections: 'distributed',
  rectify_findings: 'distributed',
  rectify_items: 'distributed',
  rectify_rechecks: 'distributed',
  accountability_records: 'distributed',
  work_outputs: 'distributed',
  // reference tables: dictionaries and frameworks
  meeting_kinds: 'reference',
  compliance_rules: 'reference',
  opinion_platforms: 'reference',
  channel_dicts: 'reference',
  report_templates: 'reference',
  assessment_frameworks: 'reference',
  assessment_indicators: 'reference',
  duty_list_items: 'reference',
};
