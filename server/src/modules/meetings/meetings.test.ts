import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { samplePdf, upload } from '../../core/attachments/attachments.scope.js';
import { periodOf } from '../../core/periods.js';
import { auditEntries } from '../../core/schema.js';
import { studyPlans } from './compliance-schema.js';
import { meetingAbsentees, meetingAttendees, meetings } from './schema.js';
import { studyNoteReads, studyNotes } from './study-schema.js';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

let h: Harness;
const u = {} as Record<'R' | 'T' | 'V' | 'S' | 'H', string>;
const c = {} as Record<'adminR' | 'adminT' | 'clerkT' | 'assessorT' | 'clerkV' | 'clerkS' | 'clerkH', Client>;
const p = {} as Record<'adminT' | 'clerkT' | 'memberV' | 'memberS' | 'adminR', string>;
let kinds: { id: string; name: string; active: boolean }[];
const kind = (name: string) => kinds.find((k) => k.name === name)!.id;

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '会议县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.V = (await buildUnit(h, u.T, '一村党支部', '村')).id;
  u.S = (await buildUnit(h, u.R, '乙镇党委', '乡镇')).id;
  u.H = (await buildUnit(h, u.R, '半年测试党委', '党委')).id;
  const mk = async (unitId: string, roles: ('unitAdmin' | 'leader' | 'clerk' | 'assessor')[]) => {
    const person = await buildPerson(h, { unitId, roles });
    return { id: person.id, client: await login(h, person.username) };
  };
  const adminR = await mk(u.R, ['unitAdmin']);
  const adminT = await mk(u.T, ['unitAdmin']);
  const clerkT = await mk(u.T, ['clerk']);
  c.adminR = adminR.client;
  c.adminT = adminT.client;
  c.clerkT = clerkT.client;
  p.adminR = adminR.id;
  p.adminT = adminT.id;
  p.clerkT = clerkT.id;
  c.assessorT = (await mk(u.T, ['assessor'])).client;
  c.clerkV = (await mk(u.V, ['clerk'])).client;
  c.clerkS = (await mk(u.S, ['clerk'])).client;
  c.clerkH = (await mk(u.H, ['clerk'])).client;
  p.memberV = (await buildPerson(h, { unitId: u.V, roles: ['clerk'] })).id;
  p.memberS = (await buildPerson(h, { unitId: u.S, roles: ['clerk'] })).id;
  kinds = (await c.clerkT.get('/api/meeting-kinds')).body;
});
afterAll(() => h.close());

const meetingCount = async () => ((await h.database.db.select({ n: count() }).from(meetings)) as [{ n: number }])[0].n;
const auditOf = (id: string, action: string) =>
  h.database.db
    .select()
    .from(auditEntries)
    .where(and(eq(auditEntries.entityId, id), eq(auditEntries.action, action)));

function record(client: Client, body: Record<string, unknown>) {
  return client.post('/api/meetings', {
    unitId: u.T,
    kindId: kind('党委(党组)会议专题研究意识形态工作'),
    heldAt: daysAgo(1),
    topic: '专题研究意识形态工作',
    ...body,
  });
}

describe('meeting kinds', () => {
  it('are seeded in order', () => {
    expect(kinds.map((k) => k.name)).toEqual([
      '党委(党组)会议专题研究意识形态工作',
      '理论学习中心组学习',
      '支部委员会',
      '党员大会',
      '党小组会',
      '党课',
      '主题党日',
      '民主生活会',
      '组织生活会',
      '舆情分析研判会',
    ]);
    expect(kinds.every((k) => k.active)).toBe(true);
  });

  it('are edited by the top unit admin only, audited; a duplicate name is a conflict', async () => {
    const created = await c.adminR.post('/api/meeting-kinds', { name: '  警示教育会 ', sort: 200 });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toMatchObject({ name: '警示教育会', sort: 200, active: true });
    expect((await c.adminR.post('/api/meeting-kinds', { name: '警示教育会' })).status).toBe(409);
    expect((await c.adminT.post('/api/meeting-kinds', { name: '镇自定义会' })).status).toBe(403);
    expect((await c.adminT.patch(`/api/meeting-kinds/${created.body.id}`, { active: false })).status).toBe(403);
    const off = await c.adminR.patch(`/api/meeting-kinds/${created.body.id}`, { active: false });
    expect(off.body.active).toBe(false);
    const [audit] = await auditOf(created.body.id, 'update');
    expect(audit!.before).toMatchObject({ active: true });
    expect(audit!.after).toMatchObject({ active: false });
    // an inactive kind takes no new records
    const res = await record(c.clerkT, { kindId: created.body.id });
    expect(res.status).toBe(400);
    expect(res.body.fields.kindId).toBeTypeOf('string');
  });
});

describe('meeting records', () => {
  it('creates, reads and updates, each change audited with before and after', async () => {
    const absent = (await buildPerson(h, { unitId: u.V, roles: ['clerk'] })).id;
    const created = await record(c.clerkT, {
      tags: [' 意识形态 ', '网络意识形态', '意识形态'],
      hostPersonId: p.adminT,
      minutes: '传达学习上级精神。',
      resolutions: [{ text: '开展网络意识形态专项检查' }],
      attendeeIds: [p.adminT, p.clerkT, p.memberV],
      absentees: [{ personId: absent, reason: '因公出差' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const m = created.body;
    expect(m.tags).toEqual(['意识形态', '网络意识形态']);
    expect(m.backfilled).toBe(false);
    expect(m.attendees.map((a: { personId: string }) => a.personId).sort()).toEqual([p.adminT, p.clerkT, p.memberV].sort());
    expect(m.absentees).toHaveLength(1);
    expect(m.absentees[0].reason).toBe('因公出差');
    expect(m.hostPersonId).toBe(p.adminT);
    expect(m.kindName).toBe('党委(党组)会议专题研究意识形态工作');
    expect(await auditOf(m.id, 'create')).toHaveLength(1);

    const got = await c.adminT.get(`/api/meetings/${m.id}`);
    expect(got.status).toBe(200);
    expect(got.body.resolutions).toEqual([{ text: '开展网络意识形态专项检查' }]);

    const upd = await c.clerkT.patch(`/api/meetings/${m.id}`, { topic: '更正：专题研究意识形态工作', attendeeIds: [p.adminT, p.clerkT] });
    expect(upd.status, JSON.stringify(upd.body)).toBe(200);
    expect(upd.body.topic).toBe('更正：专题研究意识形态工作');
    expect(upd.body.attendees).toHaveLength(2);
    expect(upd.body.absentees).toHaveLength(1);
    const [audit] = await auditOf(m.id, 'update');
    expect(audit!.before).toMatchObject({ topic: '专题研究意识形态工作' });
    expect((audit!.before as { attendeeIds: string[] }).attendeeIds).toHaveLength(3);
    expect(audit!.after).toMatchObject({ topic: '更正：专题研究意识形态工作' });
    expect((audit!.after as { attendeeIds: string[] }).attendeeIds).toHaveLength(2);

    // read-only roles and outsiders
    expect((await c.assessorT.get(`/api/meetings/${m.id}`)).status).toBe(200);
    expect((await c.assessorT.patch(`/api/meetings/${m.id}`, { topic: 'x' })).status).toBe(403);
    expect((await c.clerkS.get(`/api/meetings/${m.id}`)).status).toBe(404);
    expect((await c.clerkV.patch(`/api/meetings/${m.id}`, { topic: 'x' })).status).toBe(404);
    expect((await auditOf(m.id, 'update')).length).toBe(1);
  });

  it('refuses attendees, absentees and hosts from outside the unit subtree (400), writing nothing', async () => {
    const before = await meetingCount();
    const sibling = await record(c.clerkT, { attendeeIds: [p.clerkT, p.memberS] });
    expect(sibling.status).toBe(400);
    expect(sibling.body.fields.attendeeIds).toBeTypeOf('string');
    const parent = await record(c.clerkT, { attendeeIds: [p.adminR] });
    expect(parent.status).toBe(400);
    expect((await record(c.clerkT, { absentees: [{ personId: p.memberS, reason: '请假' }] })).status).toBe(400);
    expect((await record(c.clerkT, { hostPersonId: p.memberS })).status).toBe(400);
    expect((await record(c.clerkT, { attendeeIds: [p.clerkT], absentees: [{ personId: p.clerkT, reason: '请假' }] })).status).toBe(400);
    const noReason = await record(c.clerkT, { absentees: [{ personId: p.memberV, reason: ' ' }] });
    expect(noReason.status).toBe(400);
    expect(await meetingCount()).toBe(before);
    const ok = await record(c.clerkT, {});
    expect((await c.clerkT.patch(`/api/meetings/${ok.body.id}`, { attendeeIds: [p.memberS] })).status).toBe(400);
  });

  it('refuses a meeting held in the future (400), on create and on update', async () => {
    const before = await meetingCount();
    const res = await record(c.clerkT, { heldAt: new Date(Date.now() + DAY).toISOString() });
    expect(res.status).toBe(400);
    expect(res.body.fields.heldAt).toBeTypeOf('string');
    expect(await meetingCount()).toBe(before);
    const ok = await record(c.clerkT, {});
    const upd = await c.clerkT.patch(`/api/meetings/${ok.body.id}`, { heldAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(upd.status).toBe(400);
  });

  it('refuses a record in a unit outside the reach (403)', async () => {
    expect((await record(c.clerkS, {})).status).toBe(403);
    expect((await record(c.clerkT, { unitId: u.V })).status).toBe(403); // a clerk acts in its own unit only
    expect((await record(c.assessorT, {})).status).toBe(403);
    expect((await record(c.adminT, { unitId: u.V, attendeeIds: [p.memberV] })).status).toBe(200);
  });

  it('flags back-filled records: entered 40 days after the meeting yes, 3 days no (computed, not stored)', async () => {
    const late = await record(c.clerkT, { heldAt: daysAgo(40), topic: '补录的会议' });
    expect(late.status).toBe(200);
    expect(late.body.backfilled).toBe(true);
    const timely = await record(c.clerkT, { heldAt: daysAgo(3), topic: '及时登记的会议' });
    expect(timely.body.backfilled).toBe(false);
    const list = await c.clerkT.get(`/api/meetings?q=${encodeURIComponent('补录的会议')}`);
    expect(list.body.items[0].backfilled).toBe(true);
  });

  it('links materials through the attachments and shows them with the meeting', async () => {
    const m = await record(c.clerkT, {});
    const file = await upload(c.clerkT, u.T, '会议纪要.pdf', samplePdf);
    expect(file.status).toBe(200);
    const upd = await c.clerkT.patch(`/api/meetings/${m.body.id}`, { attachmentIds: [file.body.id] });
    expect(upd.status, JSON.stringify(upd.body)).toBe(200);
    expect(upd.body.attachments.map((a: { id: string }) => a.id)).toEqual([file.body.id]);
    const other = await upload(c.clerkS, u.S, '别镇.pdf', samplePdf);
    const link = await c.clerkS.post(`/api/attachments/${other.body.id}/links`, { entity: 'meetings.meeting', entityId: m.body.id });
    expect(link.status).toBe(404);
  });
});

describe('meeting lists', () => {
  it('lists in scope only, with filters', async () => {
    const study = kind('理论学习中心组学习');
    const a = await record(c.clerkT, { kindId: study, topic: '中心组学习：网络安全', tags: ['网络意识形态'], heldAt: daysAgo(10) });
    const v = await c.clerkV.post('/api/meetings', { unitId: u.V, kindId: kind('主题党日'), heldAt: daysAgo(5), topic: '村主题党日' });
    expect(v.status).toBe(200);
    const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((x) => x.id);

    expect((await c.clerkS.get('/api/meetings')).body.total).toBe(0);
    const adminT = await c.adminT.get('/api/meetings?pageSize=200');
    expect(ids(adminT)).toEqual(expect.arrayContaining([a.body.id, v.body.id]));
    const clerkT = await c.clerkT.get('/api/meetings?pageSize=200');
    expect(ids(clerkT)).toContain(a.body.id);
    expect(ids(clerkT)).not.toContain(v.body.id);
    expect((await c.clerkV.get('/api/meetings?pageSize=200')).body.items.every((x: { unitId: string }) => x.unitId === u.V)).toBe(true);

    const byKind = await c.adminT.get(`/api/meetings?kindId=${study}&pageSize=200`);
    expect(byKind.body.items.every((x: { kindId: string }) => x.kindId === study)).toBe(true);
    expect(ids(byKind)).toContain(a.body.id);
    const byTag = await c.adminT.get(`/api/meetings?tag=${encodeURIComponent('网络意识形态')}&pageSize=200`);
    expect(ids(byTag)).toContain(a.body.id);
    expect(byTag.body.items.every((x: { tags: string[] }) => x.tags.includes('网络意识形态'))).toBe(true);
    const byUnit = await c.adminT.get(`/api/meetings?unitId=${u.V}`);
    expect(ids(byUnit)).toContain(v.body.id);
    expect(byUnit.body.items.every((x: { unitId: string }) => x.unitId === u.V)).toBe(true);
    const byQ = await c.adminT.get(`/api/meetings?q=${encodeURIComponent('网络安全')}`);
    expect(ids(byQ)).toEqual([a.body.id]);
    const range = await c.adminT.get(
      `/api/meetings?from=${encodeURIComponent(daysAgo(7))}&to=${encodeURIComponent(daysAgo(4))}&pageSize=200`,
    );
    expect(ids(range)).toContain(v.body.id);
    expect(ids(range)).not.toContain(a.body.id);
    const paged = await c.adminT.get('/api/meetings?pageSize=1&page=2');
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.total).toBeGreaterThan(2);
  });

  it('counts a meeting held 2026-06-30 23:30 Asia/Shanghai in the first half-year', async () => {
    const at = async (heldAt: string) =>
      (
        await c.clerkH.post('/api/meetings', {
          unitId: u.H,
          kindId: kind('党委(党组)会议专题研究意识形态工作'),
          heldAt,
          topic: `半年边界 ${heldAt}`,
        })
      ).body.id as string;
    const lastEvening = await at('2026-06-30T23:30:00+08:00');
    const newYearNight = await at('2026-01-01T00:30:00+08:00');
    const julyMidnight = await at('2026-07-01T00:00:00+08:00');
    const oldYear = await at('2025-12-31T23:30:00+08:00');
    const h1 = periodOf('halfYear', 2026, 1);
    const res = await c.clerkH.get(
      `/api/meetings?unitId=${u.H}&from=${encodeURIComponent(h1.start.toISOString())}&to=${encodeURIComponent(h1.end.toISOString())}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.items.map((x: { id: string }) => x.id)).toEqual([lastEvening, newYearNight]);
    const h2 = periodOf('halfYear', 2026, 2);
    const res2 = await c.clerkH.get(`/api/meetings?unitId=${u.H}&from=${encodeURIComponent(h2.start.toISOString())}`);
    expect(res2.body.items.map((x: { id: string }) => x.id)).toEqual([julyMidnight]);
    expect(oldYear).toBeTypeOf('string');
  });
});

describe('distribution key (region_id)', () => {
  it("meetings, plans and notes carry their unit's region, their children their parent's, and a moved unit takes them along", async () => {
    const tag = Math.random().toString(36).slice(2, 6);
    const village = (await buildUnit(h, u.T, `迁移村${tag}`, '村')).id;
    const clerk = await buildPerson(h, { unitId: village, roles: ['clerk'] });
    const leader = await buildPerson(h, { unitId: village, roles: ['leader'] });
    const clerkC = await login(h, clerk.username);
    // a meeting of the county (the top unit: its own region) attended by the village clerk
    const county = await c.adminR.post('/api/meetings', {
      unitId: u.R,
      kindId: kind('理论学习中心组学习'),
      heldAt: daysAgo(3),
      topic: `县委中心组学习${tag}`,
      attendeeIds: [clerk.id],
    });
    expect(county.status, JSON.stringify(county.body)).toBe(200);
    const own = await clerkC.post('/api/meetings', {
      unitId: village,
      kindId: kind('主题党日'),
      heldAt: daysAgo(2),
      topic: `村主题党日${tag}`,
      attendeeIds: [clerk.id],
      absentees: [{ personId: leader.id, reason: '外出' }],
    });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    const plan = await clerkC.post('/api/study-plans', { unitId: village, month: '2026-02', title: '2月学习计划' });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    // the note (in the village's region) links the county's meeting (in another region): no foreign key between them
    const note = await clerkC.post('/api/study-notes', { title: '中心组学习心得', body: '心得', meetingId: county.body.id });
    expect(note.status, JSON.stringify(note.body)).toBe(200);
    const read = await (await login(h, leader.username)).post(`/api/study-notes/${note.body.id}/reads`, { comment: '已阅' });
    expect(read.status, JSON.stringify(read.body)).toBe(200);

    const db = h.database.db;
    const regions = async () => {
      const meetingRegion = async (id: string) => (await db.select().from(meetings).where(eq(meetings.id, id)))[0]!.regionId;
      const children = async (id: string) => [
        ...(await db.select({ r: meetingAttendees.regionId }).from(meetingAttendees).where(eq(meetingAttendees.meetingId, id))),
        ...(await db.select({ r: meetingAbsentees.regionId }).from(meetingAbsentees).where(eq(meetingAbsentees.meetingId, id))),
      ];
      return {
        county: await meetingRegion(county.body.id),
        countyChildren: (await children(county.body.id)).map((x) => x.r),
        own: await meetingRegion(own.body.id),
        ownChildren: (await children(own.body.id)).map((x) => x.r),
        plan: (await db.select().from(studyPlans).where(eq(studyPlans.id, plan.body.id)))[0]!.regionId,
        note: (await db.select().from(studyNotes).where(eq(studyNotes.id, note.body.id)))[0]!.regionId,
        reads: (await db.select().from(studyNoteReads).where(eq(studyNoteReads.noteId, note.body.id))).map((x) => x.regionId),
      };
    };
    // the county is its own region; the village is in its town's
    expect(await regions()).toEqual({
      county: u.R,
      countyChildren: [u.R],
      own: u.T,
      ownChildren: [u.T, u.T],
      plan: u.T,
      note: u.T,
      reads: [u.T],
    });

    expect((await c.adminR.post(`/api/units/${village}/move`, { parentId: u.S })).status).toBe(200);
    expect(await regions()).toEqual({
      county: u.R,
      countyChildren: [u.R],
      own: u.S,
      ownChildren: [u.S, u.S],
      plan: u.S,
      note: u.S,
      reads: [u.S],
    });
    // still found by id, the note still shows the county's meeting
    expect((await clerkC.get(`/api/meetings/${own.body.id}`)).body.absentees).toHaveLength(1);
    expect((await clerkC.get(`/api/study-plans/${plan.body.id}`)).status).toBe(200);
    expect((await clerkC.get(`/api/study-notes/${note.body.id}`)).body).toMatchObject({ meetingTopic: `县委中心组学习${tag}`, read: true });
  });
});
