/**
 * Prefill registry (一次录入、多方调用): a new submission's draft is pre-filled from the unit's own records of
 * the window's period, as editable text with links to the records, so the clerk writes only what the records
 * cannot say. One source per module; a template section lists the sources whose text it receives.
 *
 * A source reads through its module's service.ts, acting as the person who starts the draft, so it sees
 * only what that person may see. To add a source (channel reviews, events, rectification progress …):
 * `registerPrefillSource({ key, label, collect })` in this module's `prefillSources.ts` and name its key
 * in a template section's `prefill`.
 *
 * Every prefilled text says it is a draft drawn from the records (减负: drafting aids are labelled and tied
 * to the real dates); nothing is invented: a source with no records says so.
 */
import type { RecordLink, TemplateSection } from '@dutyledger/contracts';
import type { Ctx } from '../../core/context.js';
import type { Period } from '../../core/periods.js';
import type { StoredSection } from './schema.js';

export interface PrefillInput {
  unitId: string;
  period: Period;
}

export interface PrefillBlock {
  /** editable text (plain, one line per record) */
  text: string;
  links: RecordLink[];
}

export interface PrefillSource {
  key: string;
  /** what the source is, in Chinese (shown in template editing) */
  label: string;
  collect(ctx: Ctx, input: PrefillInput): Promise<PrefillBlock>;
}

const sources = new Map<string, PrefillSource>();

export function registerPrefillSource(source: PrefillSource): void {
  sources.set(source.key, source);
}

export function prefillSourceKeys(): string[] {
  return [...sources.keys()];
}

export function prefillSourceList(): { key: string; label: string }[] {
  return [...sources.values()].map((s) => ({ key: s.key, label: s.label }));
}

export const PREFILL_NOTE = '【系统根据本单位台账预填的草稿，请核对、修改后报送】';

/** The draft's sections: each template section with the text and links of its sources (empty otherwise). */
export async function prefillSections(ctx: Ctx, sections: TemplateSection[], input: PrefillInput): Promise<StoredSection[]> {
  const cache = new Map<string, PrefillBlock>();
  const out: StoredSection[] = [];
  for (const s of sections) {
    const blocks: PrefillBlock[] = [];
    for (const key of s.prefill) {
      const source = sources.get(key);
      if (!source) continue;
      let block = cache.get(key);
      if (!block) {
        block = await source.collect(ctx, input);
        cache.set(key, block);
      }
      blocks.push(block);
    }
    out.push({
      key: s.key,
      text: blocks.length ? [PREFILL_NOTE, ...blocks.map((b) => b.text)].join('\n') : '',
      links: blocks.flatMap((b) => b.links),
    });
  }
  return out;
}
