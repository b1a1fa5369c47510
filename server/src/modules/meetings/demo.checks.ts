import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../../../test/harness.js';
import { tasks } from '../duty/schema.js';
import { meetings } from './schema.js';
import { studyNoteReads, studyNotes } from './study-schema.js';

/** Checks of the demo records, run on the one seeded demo county of src/seed/demo.test.ts. */
export function meetingsDemoChecks(get: () => Harness): void {
  let h!: Harness;
  beforeAll(() => {
    h = get();
  });

  describe('seedDemoStudy', () => {
    it('adds meetings with resolutions (one a task, one back-filled), notes and one 调阅', async () => {
      const rows = await h.database.db.select().from(meetings);
      expect(rows).toHaveLength(3);
      const linked = rows.flatMap((m) => m.resolutions.filter((r) => r.taskId));
      expect(linked).toHaveLength(1);
      const [task] = await h.database.db.select().from(tasks).where(eq(tasks.id, linked[0]!.taskId!));
      expect(task!.sourceType).toBe('meeting.resolution');
      expect(rows.some((m) => m.createdAt.getTime() - m.heldAt.getTime() > 31 * 86_400_000)).toBe(true);
      expect(await h.database.db.select().from(studyNotes)).toHaveLength(3);
      expect(await h.database.db.select().from(studyNoteReads)).toHaveLength(1);
    });
  });
}
