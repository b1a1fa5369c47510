/**
 * How each table would be placed on Citus (docs/deploy.md, "Beyond one primary: Citus"): distributed by the
 * region key (the region-level unit a record belongs to), or a reference table copied to every node
 * (dictionaries, frameworks: small, read everywhere). A new table must be added here; server/test/citus.test.ts
 * checks Citus's rules on the migrated schema against this table.
 */
export const DISTRIBUTION_COLUMN = 'region_id';

export type Placement = 'distributed' | 'reference';

export const placement: Record<string, Placement> = {
  // organization: the tree, the people and their posts are reference tables. They are read by nearly every
  // statement (subtree scope is a join to units.path; actors and reviewers are people), change rarely, and are
  // small for a reference table (a province: ≈31,000 units, ≈300,000 people and posts); as reference tables
  // every foreign key from a record to its unit or to a person is allowed and every such join stays on its node.
  units: 'reference',
  people: 'reference',
  posts: 'reference',
  sessions: 'distributed',
  notifications: 'distributed',
  unit_webhooks: 'distributed',
  // files, exports, jobs
  attachments: 'distributed',
  attachment_links: 'distributed',
  ledger_exports: 'distributed',
  job_runs: 'distributed',
  // audit
  audit_entries: 'distributed',
  login_log: 'distributed',
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
  bulletins: 'distributed',
  bulletin_recipients: 'distributed',
  bulletin_reads: 'distributed',
  // reports & assessment
  report_windows: 'distributed',
  report_window_targets: 'distributed',
  report_submissions: 'distributed',
  assessment_cycles: 'distributed',
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
