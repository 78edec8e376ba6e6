import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InProcessQueue } from '../../src/server/jobs/in-process.js';
import { PgBossQueue } from '../../src/server/jobs/pg-boss.js';
import type { JobQueue, JobStatus } from '../../src/server/jobs/queue.js';
import { DATABASES, freshStore, type FreshStore } from '../store/databases.js';

const Payload = z.object({ n: z.int() });

async function until(q: JobQueue, id: string, want: JobStatus, ms = 20_000): Promise<JobStatus | undefined> {
  const end = Date.now() + ms;
  let s = await q.status('test.double', id);
  while (s !== want && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    s = await q.status('test.double', id);
  }
  return s;
}

describe.each(DATABASES)('job queue for %s', (d) => {
  const stores: FreshStore[] = [];
  afterAll(async () => {
    for (const s of stores) await s.dispose();
  });

  const make = async (): Promise<JobQueue> => {
    if (d === 'sqlite') return new InProcessQueue();
    const f = await freshStore('postgres');
    stores.push(f);
    return new PgBossQueue({ url: f.url!, pollSeconds: 0.5, retryLimit: 0 });
  };

  it('enqueue → run → done, payload parsed; a failing job is failed; stop is graceful', async () => {
    const q = await make();
    const seen: number[] = [];
    q.register('test.double', {
      schema: Payload,
      run: async (p) => {
        if (p.n < 0) throw new Error('negative');
        await new Promise((r) => setTimeout(r, 50));
        seen.push(p.n * 2);
      },
    });
    await q.start();
    try {
      const id = await q.enqueue('test.double', { n: 21 });
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await until(q, id!, 'done')).toBe('done');
      expect(seen).toEqual([42]);
      const bad = await q.enqueue('test.double', { n: -1 });
      expect(await until(q, bad!, 'failed')).toBe('failed');
      await expect(q.enqueue('test.double', { n: 'x' })).rejects.toThrow();
      await expect(q.enqueue('test.unknown', {})).rejects.toThrow(/no handler/);
      expect(await q.status('test.double', randomUUID())).toBeUndefined();
    } finally {
      await q.stop({ graceful: true, timeoutMs: 5000 });
    }
  });
});

describe('in-process runner shutdown', () => {
  it('a graceful stop lets the running job finish and refuses new jobs', async () => {
    const q = new InProcessQueue();
    let finished = false;
    q.register('slow', {
      schema: z.object({}),
      run: async () => {
        await new Promise((r) => setTimeout(r, 200));
        finished = true;
      },
    });
    await q.start();
    const id = (await q.enqueue('slow', {}))!;
    while ((await q.status('slow', id)) !== 'running') await new Promise((r) => setTimeout(r, 5));
    await q.stop({ graceful: true });
    expect(finished).toBe(true);
    expect(await q.status('slow', id)).toBe('done');
    await expect(q.enqueue('slow', {})).rejects.toThrow(/stopped/);
  });

  it('a key keeps one pending job', async () => {
    const q = new InProcessQueue();
    q.register('k', { schema: z.object({}), run: async () => undefined });
    const first = await q.enqueue('k', {}, { key: 'a' });
    expect(first).not.toBeNull();
    expect(await q.enqueue('k', {}, { key: 'a' })).toBeNull();
    await q.start();
    await q.idle();
    expect(await q.status('k', first!)).toBe('done');
  });
});

describe('pg-boss retries and dead letters', () => {
  it('retries a failing job up to the limit, telling the handler its attempt; then abandoned() gets it once', async () => {
    const f = await freshStore('postgres');
    const q = new PgBossQueue({
      url: f.url!,
      pollSeconds: 0.5,
      retryLimit: 1,
      retryDelaySeconds: 0,
      retryBackoff: false,
      maintenanceSeconds: 1,
    });
    const attempts: { attempt: number; last: boolean }[] = [];
    const abandoned: { n: number; reason: string }[] = [];
    q.register('test.fail', {
      schema: Payload,
      run: async (p, job) => {
        attempts.push({ attempt: job.attempt, last: job.lastAttempt });
        throw new Error(`boom ${p.n}`);
      },
      abandoned: async (p, reason) => {
        abandoned.push({ n: p.n, reason });
      },
    });
    await q.start();
    try {
      const id = await q.enqueue('test.fail', { n: 7 });
      const end = Date.now() + 30_000;
      while (abandoned.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1000)); // a second call would come within the next poll
      expect(attempts).toEqual([
        { attempt: 1, last: false },
        { attempt: 2, last: true },
      ]);
      expect(abandoned).toEqual([{ n: 7, reason: 'boom 7' }]);
      expect(await q.status('test.fail', id!)).toBe('failed');
    } finally {
      await q.stop({ graceful: true, timeoutMs: 5000 });
      await f.dispose();
    }
  });
});
