/**
 * A campaign's results as a file: the application layer's sinks — wide CSV (`assess --format csv`), long CSV
 * (`--long`, one row per indicator with its formula) or XLSX (`--format xlsx`) — fed by the assess use case over the
 * campaign's stored uploads (with its pinned organisation referential, as the assessment) and streamed to the client as they are written (back-pressure: the run waits while the
 * client reads), never built in memory. CSV goes through the project's one CSV writer (formula injection neutralised;
 * `locale=fr`: `;`, decimal comma, BOM). An error before the first byte is answered as a problem; after it, the
 * response is cut (a download cannot be taken back). A member restricted to an entity subtree gets the rows of its
 * entities' items and, in the XLSX, the totals of those items.
 */
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { z } from 'zod';
import { assess } from '../../app/assess.js';
import type { AssessSink } from '../../app/sink.js';
import { csvRowsSink } from '../../app/sinks/csv-rows.js';
import { csvWideSink } from '../../app/sinks/csv-wide.js';
import { xlsxSink } from '../../app/sinks/xlsx.js';
import type { TextOut } from '../../app/text-out.js';
import { csvFormat } from '../../formats/csv-write.js';
import { scoped, type Actor } from '../../store/scoped.js';
import { campaignFor, readCampaignStored, withCampaignInput } from './campaign-run.js';
import type { UseCaseDeps } from './deps.js';
import { assessSubtree } from './entity-scope.js';

export const ExportQuery = z.object({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  layout: z.enum(['wide', 'long']).default('wide').describe('CSV only: one row per item (wide) or per indicator.'),
  locale: z.enum(['en', 'fr']).default('en').describe('CSV only: fr = `;`, decimal comma, UTF-8 BOM.'),
});

/** A file answered as a download: its media type, a safe file name and its bytes as a stream. */
export interface Download {
  readonly contentType: string;
  readonly fileName: string;
  readonly body: Readable;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file name made of letters, digits, dot, dash and underscore only (safe in a header and on any file system). */
export function safeFileName(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 100);
  return ascii === '' ? 'campaign' : ascii;
}

/** A text and byte output writing into a stream, waiting for `drain` when its buffer is full. */
function streamOut(body: PassThrough, onFirst: () => void) {
  let first = true;
  const push = async (chunk: string | Uint8Array): Promise<void> => {
    if (body.destroyed) throw new Error('the client closed the download');
    if (first) {
      first = false;
      onFirst();
    }
    if (!body.write(chunk)) await Promise.race([once(body, 'drain'), once(body, 'close')]);
  };
  const out: TextOut & { writeBytes(b: Uint8Array): Promise<void> } = {
    write: (s) => push(s),
    writeBytes: (b) => push(b),
    close: async () => {
      onFirst();
      body.end();
    },
    abort: async () => undefined,
  };
  return out;
}

export async function exportCampaign(
  deps: UseCaseDeps,
  actor: Actor,
  input: { campaignId: string } & z.output<typeof ExportQuery>,
): Promise<Download> {
  const { campaign, files, part } = await deps.store.transaction(async (tx) => {
    const s = await scoped(tx, actor);
    const c = await campaignFor(s, actor, input.campaignId, 'campaign:read');
    return { campaign: c, files: await readCampaignStored(s, c), part: s.entityScope(c.organisation_id) };
  });
  const body = new PassThrough();
  let started!: () => void;
  const firstByte = new Promise<void>((resolve) => (started = resolve));
  const out = streamOut(body, () => started());
  const csv = csvFormat(input.locale);
  const sink: AssessSink =
    input.format === 'xlsx' ? xlsxSink(out) : input.layout === 'long' ? csvRowsSink(out, csv) : csvWideSink(out, csv);
  const trace = input.format === 'csv' && input.layout === 'long';
  // A member restricted to an entity subtree: its items' rows, and the totals of those items (entity-scope.ts).
  const run =
    part === null
      ? withCampaignInput(campaign, files, (app, assessInput) => assess(app, { ...assessInput, trace }, sink))
      : assessSubtree(campaign, files, new Set(part.entities), sink, { trace });
  // Answer once the first bytes are there (or the run is over): an error before them is the request's error.
  const failed = await Promise.race([
    firstByte.then(() => undefined),
    run.then(
      () => undefined,
      (e: unknown) => e,
    ),
  ]);
  if (failed !== undefined) {
    body.destroy();
    throw failed;
  }
  run.catch((e: unknown) => body.destroy(e instanceof Error ? e : new Error(String(e))));
  const base = `${safeFileName(campaign.name)}-${input.format === 'xlsx' ? 'results' : `results-${input.layout}-${input.locale}`}`;
  return {
    contentType: input.format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8',
    fileName: `${base}.${input.format}`,
    body,
  };
}
