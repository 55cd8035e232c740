// `nanostudio loop --server URL --token T` goes through a real backend: the studio's iteration
// dashboard (its BackendClient + iteration-rows, as IterationsDashboard renders them) follows the
// run live and ends with the same numbers as the loop's report.json.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startService, type Service } from '../../src/backend/server.ts';
import { BackendClient } from '../../src/ui/backend/client.ts';
import { iterationRow } from '../../src/ui/backend/iteration-rows.ts';
import type { LoopReport } from '../../src/loop/report.ts';
import { TOKEN, tempDir } from '../backend/helpers.ts';
import { TINY, startLoop } from './loop-process.ts';

let service: Service | undefined;
afterAll(async () => { await service?.close(); delete process.env.NANOSTUDIO_TOKEN; });

describe('nanostudio loop --server', () => {
  it('writes the iterations the studio dashboard reads, live', async () => {
    process.env.NANOSTUDIO_TOKEN = TOKEN;
    service = await startService({ dataDir: tempDir('ns-loop-srv-'), port: 0, logger: false });
    const client = new BackendClient(service.url, TOKEN);
    const out = tempDir('ns-loop-srv-out-');
    const p = startLoop(['--plan', 'plans/demo-cu.yaml', '--plan-override', TINY, '--labeler', 'eam:Cu_mishin1.eam.alloy',
      '--iterations', '1', '--out', out, '--train-steps', '10', '--models', '2', '--threads', '1', '--engine', 'cpu',
      '--server', service.url, '--token', TOKEN, '--dataset', 'loop-live']);
    let exited = false;
    const code = p.exited.then((c) => { exited = true; return c; });
    // what the dashboard shows while the loop runs (as its refresh button fetches it)
    const seen: string[] = [];
    while (!exited) {
      const ds = (await client.datasets()).find((d) => d.name === 'loop-live');
      if (ds) {
        for (const r of (await client.iterations(ds.id)).map(iterationRow)) {
          const s = `${r.number}:${r.status}`;
          if (seen.at(-1) !== s) seen.push(s);
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await code, p.output()).toBe(0);
    // the stages appear in order (a fast stage may fall between two polls)
    const order = ['training', 'exploring', 'labeling', 'done'];
    const idx = seen.map((s) => order.indexOf(s.split(':')[1]));
    expect(idx.every((v, i) => v >= 0 && (i === 0 || v >= idx[i - 1])), seen.join(' → ')).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toBe('0:done');

    const ds = (await client.datasets()).find((d) => d.name === 'loop-live')!;
    const [row] = (await client.iterations(ds.id)).map(iterationRow);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as LoopReport;
    const it0 = report.iterations[0];
    expect(report.where).toBe(`backend ${service.url}`);
    expect(row.explored).toBe(it0.exploration.reduce((a, e) => a + e.frames, 0));
    expect(row.explored).toBeGreaterThan(0);
    expect(row.good! + row.decent! + row.poor!).toBeCloseTo(1, 12);
    expect(row.selected).toBe(it0.framesSelected);
    expect(row.labeled).toBe(row.selected);
    expect(row.selected).toBeGreaterThan(0);
    expect(row.datasetSize).toBe(it0.datasetSize);
    expect(row.datasetSize).toBe(ds.labeledCount);
    expect(row.ensembleId).toBe(it0.ensembleId);
    expect(row.trainF).toBeCloseTo(it0.rmse.train!.force, 12);
    const ens = await client.ensemble(row.ensembleId!);
    expect(ens.iterationId).toBe(row.id);
    expect(ens.models.map((m) => m.seed)).toEqual([1, 2]);
  }, 240_000);
});
