import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { samplePdf, upload } from '../../core/attachments/attachments.scope.js';
import { auditEntries } from '../../core/schema.js';
import { studyNoteReads, studyNotes } from './study-schema.js';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

let h: Harness;
const u = {} as Record<'R' | 'T' | 'V' | 'S', string>;
type Key = 'authorT' | 'clerkT' | 'leaderT' | 'adminT' | 'assessorT' | 'leaderR' | 'leaderV' | 'leaderS' | 'authorV';
const c = {} as Record<Key, Client>;
const p = {} as Record<Key, string>;

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '笔记县委')).id;
  u.T = (await buildUnit(h, u.R, '笔记镇党委', '乡镇')).id;
  u.V = (await buildUnit(h, u.T, '笔记村党支部', '村')).id;
  u.S = (await buildUnit(h, u.R, '邻镇党委', '乡镇')).id;
  const mk = async (key: Key, unitId: string, roles: ('unitAdmin' | 'clerk' | 'leader' | 'assessor')[]) => {
    const person = await buildPerson(h, { unitId, roles });
    p[key] = person.id;
    c[key] = await login(h, person.username);
  };
  await mk('authorT', u.T, ['clerk']);
  await mk('clerkT', u.T, ['clerk']);
  await mk('leaderT', u.T, ['leader']);
  await mk('adminT', u.T, ['unitAdmin']);
  await mk('assessorT', u.T, ['assessor']);
  await mk('leaderR', u.R, ['leader']);
  await mk('leaderV', u.V, ['leader']);
  await mk('leaderS', u.S, ['leader']);
  await mk('authorV', u.V, ['clerk']);
});
afterAll(() => h.close());

const write = (client: Client, body: Record<string, unknown> = {}) =>
  client.post('/api/study-notes', { title: '学习党的二十届四中全会精神心得', body: '通过学习，深刻认识到……', ...body });
const noteCount = async () => ((await h.database.db.select({ n: count() }).from(studyNotes)) as [{ n: number }])[0].n;
const auditCount = async () => ((await h.database.db.select({ n: count() }).from(auditEntries)) as [{ n: number }])[0].n;

describe('study notes', () => {
  it('are written by their author in the unit of the acting post, audited; bad input is 400 with nothing written', async () => {
    const res = await write(c.authorT);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ unitId: u.T, authorId: p.authorT, read: false, reads: [], meetingId: null });
    const audit = await h.database.db.select().from(auditEntries).where(eq(auditEntries.entityId, res.body.id));
    expect(audit.map((a) => a.action)).toEqual(['create']);

    const before = await noteCount();
    const bad = await c.authorT.post('/api/study-notes', { title: ' ', body: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toMatchObject({ title: '请输入标题', body: '请输入笔记内容' });
    expect(await noteCount()).toBe(before);
  });

  it('link only to a meeting the author attended', async () => {
    const kindId = (await c.adminT.get('/api/meeting-kinds')).body.find((k: { name: string }) => k.name === '理论学习中心组学习').id;
    const m = await c.adminT.post('/api/meetings', {
      unitId: u.T,
      kindId,
      heldAt: daysAgo(3),
      topic: '中心组学习',
      attendeeIds: [p.authorT],
    });
    expect(m.status).toBe(200);
    const attended = await c.authorT.get('/api/study-notes/attended-meetings');
    expect(attended.body.map((x: { id: string }) => x.id)).toContain(m.body.id);
    expect((await c.clerkT.get('/api/study-notes/attended-meetings')).body).toEqual([]);
    const ok = await write(c.authorT, { meetingId: m.body.id });
    expect(ok.body).toMatchObject({ meetingId: m.body.id, meetingTopic: '中心组学习' });
    const refused = await write(c.clerkT, { meetingId: m.body.id });
    expect(refused.status).toBe(400);
    expect(refused.body.fields.meetingId).toBe('只能关联本人参加的学习会议');
  });

  it('are read by the author and by reviewers whose reach covers the unit, by nobody else', async () => {
    const note = (await write(c.authorT, { title: '只给领导看的心得' })).body.id as string;
    for (const key of ['authorT', 'leaderT', 'adminT', 'leaderR'] as const) {
      expect((await c[key].get(`/api/study-notes/${note}`)).status, key).toBe(200);
    }
    for (const key of ['clerkT', 'assessorT', 'leaderV', 'leaderS', 'authorV'] as const) {
      expect((await c[key].get(`/api/study-notes/${note}`)).status, key).toBe(404);
    }
    // lists: the author's own, and a reviewer's in reach
    const mine = await c.authorT.get('/api/study-notes/mine?pageSize=200');
    expect(mine.body.items.every((n: { authorId: string }) => n.authorId === p.authorT)).toBe(true);
    expect(mine.body.items.map((n: { id: string }) => n.id)).toContain(note);
    expect((await c.clerkT.get('/api/study-notes/mine')).body.items.map((n: { id: string }) => n.id)).not.toContain(note);
    const ids = async (client: Client, qs = '') =>
      (await client.get(`/api/study-notes?pageSize=200${qs}`)).body.items.map((n: { id: string }) => n.id);
    expect(await ids(c.leaderT)).toContain(note);
    expect(await ids(c.leaderR)).toContain(note);
    expect(await ids(c.leaderS)).not.toContain(note);
    expect(await ids(c.leaderV)).not.toContain(note);
    expect(await ids(c.leaderT, `&q=${encodeURIComponent('只给领导')}`)).toEqual([note]);
    expect(await ids(c.leaderR, `&unitId=${u.V}`)).not.toContain(note);
    for (const key of ['clerkT', 'assessorT'] as const) {
      expect((await c[key].get('/api/study-notes')).status, key).toBe(403);
    }
  });

  it('调阅: a reviewer marks a note read with a comment, once; the author sees who read it and can no longer edit it', async () => {
    const note = (await write(c.authorT, { title: '待调阅的心得' })).body.id as string;
    const edited = await c.authorT.patch(`/api/study-notes/${note}`, { body: '补充了学习体会。' });
    expect(edited.status).toBe(200);
    expect(edited.body.body).toBe('补充了学习体会。');
    expect((await c.leaderT.patch(`/api/study-notes/${note}`, { body: '领导改写' })).status).toBe(403);
    expect((await c.clerkT.post(`/api/study-notes/${note}/reads`, {})).status).toBe(404);
    expect((await c.authorT.post(`/api/study-notes/${note}/reads`, {})).status).toBe(403);
    expect((await c.leaderS.post(`/api/study-notes/${note}/reads`, {})).status).toBe(404);
    expect((await c.leaderT.get(`/api/study-notes?read=false&pageSize=200`)).body.items.map((n: { id: string }) => n.id)).toContain(note);

    const read = await c.leaderT.post(`/api/study-notes/${note}/reads`, { comment: '体会深刻，继续保持。' });
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body.read).toBe(true);
    expect(read.body.reads).toHaveLength(1);
    expect(read.body.reads[0]).toMatchObject({ readerId: p.leaderT, comment: '体会深刻，继续保持。' });
    const audit = await h.database.db.select().from(auditEntries).where(eq(auditEntries.entityId, note));
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'read']);

    // once per reviewer; another reviewer adds their own record
    const again = await c.leaderT.post(`/api/study-notes/${note}/reads`, { comment: '再次' });
    expect(again.status).toBe(409);
    expect((await c.leaderR.post(`/api/study-notes/${note}/reads`, {})).status).toBe(200);
    const seen = await c.authorT.get(`/api/study-notes/${note}`);
    expect(seen.body.reads.map((r: { readerId: string }) => r.readerId)).toEqual([p.leaderT, p.leaderR]);
    expect((await c.leaderT.get(`/api/study-notes?read=true&pageSize=200`)).body.items.map((n: { id: string }) => n.id)).toContain(note);

    // read notes stay as they were read
    const before = await auditCount();
    const locked = await c.authorT.patch(`/api/study-notes/${note}`, { body: '改动' });
    expect(locked.status).toBe(409);
    const att = await upload(c.authorT, u.T, '心得.pdf', samplePdf);
    const link = await c.authorT.post(`/api/attachments/${att.body.id}/links`, { entity: 'meetings.studyNote', entityId: note });
    expect(link.status).toBe(409);
    expect((await c.authorT.get(`/api/study-notes/${note}`)).body.body).toBe('补充了学习体会。');
    expect(await auditCount()).toBe(before + 1); // the upload only
  });

  it('take attachments from their author only', async () => {
    const att = await upload(c.authorT, u.T, '笔记.pdf', samplePdf);
    expect(att.status).toBe(200);
    const res = await write(c.authorT, { attachmentIds: [att.body.id] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.attachments.map((a: { id: string }) => a.id)).toEqual([att.body.id]);
    const other = await upload(c.clerkT, u.T, '别人的.pdf', samplePdf);
    const link = await c.clerkT.post(`/api/attachments/${other.body.id}/links`, { entity: 'meetings.studyNote', entityId: res.body.id });
    expect(link.status).toBe(404);
  });

  it('two reviewers reading at once each leave one record', async () => {
    const note = (await write(c.authorT)).body.id as string;
    const results = await Promise.all([
      c.leaderT.post(`/api/study-notes/${note}/reads`, {}),
      c.adminT.post(`/api/study-notes/${note}/reads`, {}),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const rows = await h.database.db.select().from(studyNoteReads).where(eq(studyNoteReads.noteId, note));
    expect(rows).toHaveLength(2);
  });
});
