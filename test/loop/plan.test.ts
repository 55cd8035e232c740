import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlanError, applyPlanOverride, parsePlan, readPlan, systemsFor, validatePlan } from '../../src/loop/plan.ts';
import { tempDir } from '../backend/helpers.ts';
import { iterationTrainSettings } from '../../src/loop/train.ts';
import { explorationTasks } from '../../src/loop/systems.ts';

const demoRaw = (): Record<string, any> => parse(readFileSync('plans/demo-cu.yaml', 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any

/** The issues of an invalid plan as "field: message" strings. */
function issues(raw: unknown): string[] {
  try {
    validatePlan(raw, 'test.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(PlanError);
    expect((e as Error).message).toMatch(/^test\.yaml: invalid plan:/);
    return (e as PlanError).issues.map((i) => `${i.field}: ${i.message}`);
  }
  throw new Error('plan was accepted');
}

describe('plan files', () => {
  it('the shipped plans validate; the demo schedules systems per iteration (the last entry covers later ones)', () => {
    const demo = readPlan('plans/demo-cu.yaml');
    expect(demo.name).toBe('demo-cu');
    expect(systemsFor(demo, 0).map((s) => s.name)).toEqual(['clusters', 'bulk', 'surfaces']);
    expect(systemsFor(demo, 5).map((s) => s.name)).toEqual(['clusters', 'magic-clusters', 'bulk', 'surfaces']);
    const paper = readPlan('plans/paper-cu.yaml');
    expect(paper.model).toMatchObject({ rcut: 8, embedding: [25, 50, 100], fitting: [240, 240, 240], axisNeuron: 16 });
    expect(paper.training.steps).toBe(400000);
    expect(systemsFor(paper, 2).map((s) => s.kind)).toEqual(['cluster']);
    expect(new Set(systemsFor(paper, 12).map((s) => s.kind))).toEqual(new Set(['cluster', 'bulk', 'surface']));
  });

  it('names the field of every range violation (paper ranges: clusters ≤ 1500 K, bulk ≤ 3000 K and 1–50 000 atm)', () => {
    const raw = demoRaw();
    raw.systems[0].temperatures = [300, 1600];
    raw.systems[2].pressures = [0.5];
    raw.systems[3].temperatures = [3500];
    raw.trust.bulk = { lo: 0.3, hi: 0.1 };
    expect(issues(raw)).toEqual(expect.arrayContaining([
      'systems.0.temperatures.1: must be ≤ 1500 K',
      'systems.2.pressures.0: must be ≥ 1 atm',
      'systems.3.temperatures.0: must be ≤ 3000 K',
      'trust.bulk.hi: lo must be < hi',
    ]));
  });

  it('rejects unknown kinds, facets and keys, unknown or doubly scheduled systems, duplicate names', () => {
    const raw = demoRaw();
    raw.systems[1].kind = 'liquid';
    raw.systems[3].facets = ['112'];
    raw.selection.maxPerIteraton = 3;
    raw.schedule[1].systems.push('nanowires');
    raw.schedule[1].iterations = [0];
    const out = issues(raw);
    expect(out.some((s) => s.startsWith('systems.1.kind:'))).toBe(true);
    expect(out.some((s) => s.startsWith('systems.3.facets.0:'))).toBe(true);
    expect(out.some((s) => s.startsWith('selection:') && /maxPerIteraton/.test(s))).toBe(true);
    const dup = demoRaw();
    dup.systems[1].name = 'clusters';
    dup.schedule[1].systems.push('nanowires');
    dup.schedule[1].iterations = [0];
    expect(issues(dup)).toEqual(expect.arrayContaining([
      "systems.1.name: 'clusters' is already the name of systems.0",
      "schedule.1.systems.4: no system named 'nanowires' (known: clusters, bulk, surfaces)",
      'schedule.1.iterations.0: iteration 0 is already scheduled by schedule.0',
    ]));
    const missing = demoRaw();
    delete missing.trust;
    expect(issues(missing)).toEqual([expect.stringMatching(/^trust: .*expected object/)]);
    const save = demoRaw();
    save.systems[0].saveEvery = 10_000;
    expect(issues(save)).toEqual(['systems.0.saveEvery: must be ≤ steps (300)']);
  });

  it('reports YAML syntax errors with the line, and unreadable files', () => {
    expect(() => parsePlan('name: x\n  systems: [\n', 'bad.yaml')).toThrow(/bad\.yaml: invalid plan:\n {2}\(yaml\): .*line \d+/);
    expect(() => readPlan('/nonexistent/plan.yaml')).toThrow(/\(file\): cannot read: ENOENT/);
    // A file (plan or override) reports its syntax error as the text does, named by its path.
    const bad = join(tempDir(), 'bad.yaml');
    const text = 'name: x\n  systems: [\n';
    writeFileSync(bad, text);
    const message = (f: () => unknown): string => { try { f(); } catch (e) { return (e as Error).message; } return 'no error'; };
    const fromText = message(() => parsePlan(text, bad));
    expect(fromText).toMatch(/\(yaml\): Nested mappings .*\(line 1, column 7\)$/);
    expect(message(() => readPlan(bad))).toBe(fromText);
    expect(message(() => readPlan('plans/demo-cu.yaml', bad))).toBe(fromText);
  });

  it('an override merges objects key by key and systems by name; its errors name both files', () => {
    expect(applyPlanOverride({ a: { b: 1, c: 2 }, l: [1, 2], s: [{ name: 'x', n: 1, m: 1 }, { name: 'y', n: 2 }] },
      { a: { c: 3 }, l: [5], s: [{ name: 'y', n: 7 }, { name: 'z', n: 9 }] }))
      .toEqual({ a: { b: 1, c: 3 }, l: [5], s: [{ name: 'x', n: 1, m: 1 }, { name: 'y', n: 7 }, { name: 'z', n: 9 }] });
    const tiny = readPlan('plans/demo-cu.yaml', 'test/loop/fixtures/tiny-budget.yaml');
    const demo = readPlan('plans/demo-cu.yaml');
    expect(tiny.systems.map((x) => x.name)).toEqual(demo.systems.map((x) => x.name));
    expect(tiny.systems.find((x) => x.name === 'bulk')).toMatchObject({ structures: ['fcc'], repeat: [2, 2, 2], temperatures: [1200], steps: 30 });
    expect(tiny.model).toEqual(demo.model);
    expect(tiny.training).toEqual({ ...demo.training, checkpointEvery: 5 });
    const dir = tempDir('ns-plan-');
    writeFileSync(join(dir, 'bad.yaml'), 'systems:\n  - { name: bulk, steps: -3 }\n');
    expect(() => readPlan('plans/demo-cu.yaml', join(dir, 'bad.yaml'))).toThrow(/demo-cu\.yaml with override .*bad\.yaml: invalid plan:\n {2}systems\.2\.steps: /);
    writeFileSync(join(dir, 'list.yaml'), '- 1\n');
    expect(() => readPlan('plans/demo-cu.yaml', join(dir, 'list.yaml'))).toThrow(/\(plan override\): must be a YAML mapping/);
    expect(() => readPlan('plans/demo-cu.yaml', join(dir, 'none.yaml'))).toThrow(/none\.yaml: invalid plan:\n {2}\(file\): cannot read: ENOENT/);
  });

  it('training settings: the first iteration from startPref*, later ones from continueStartPref* (default: the same restart)', () => {
    const demo = readPlan('plans/demo-cu.yaml');
    const first = iterationTrainSettings(demo, ['Cu'], false, 1);
    expect(first).toMatchObject({ numSteps: 3000, startLr: 1e-3, startPrefE: 0.02, startPrefF: 1000, limitPrefE: 1, limitPrefF: 1 });
    const later = iterationTrainSettings(demo, ['Cu'], true, 1);
    expect(later).toMatchObject({ numSteps: 600, startLr: 3e-4, startPrefE: 1, startPrefF: 1, limitPrefE: 1, limitPrefF: 1 });
    const raw = demoRaw();
    delete raw.training.continueStartPrefE;
    delete raw.training.continueStartPrefF;
    expect(iterationTrainSettings(validatePlan(raw), ['Cu'], true, 1, 50)).toMatchObject({ numSteps: 50, startPrefE: 0.02, startPrefF: 1000 });
  });

  it('expands the demo into MD tasks with the paper ensembles (NVT clusters and slabs, NPT bulk)', () => {
    const plan = readPlan('plans/demo-cu.yaml');
    plan.systems[0] = { ...plan.systems[0], starts: ['icosahedron', 'octahedron'] } as typeof plan.systems[0];
    const tasks = explorationTasks(plan, 0, 1, null);
    const ids = tasks.map((t) => t.id);
    // Cu13 icosahedron and cuboctahedron; the Cu19 octahedron (no icosahedron of 19); Cu55 icosahedron and cuboctahedron.
    expect(ids.filter((i) => i.startsWith('clusters-'))).toEqual(['Cu13-icosahedron', 'Cu13-octahedron', 'Cu19-octahedron', 'Cu55-icosahedron', 'Cu55-octahedron']
      .flatMap((s) => [300, 800, 1300].map((t) => `clusters-${s}-${t}K`)));
    const bulk = tasks.filter((t) => t.kind === 'bulk');
    expect(bulk.map((t) => [t.ensemble, t.temperatureK, t.pressureAtm, t.start.symbols.length])).toEqual([
      ['npt', 300, 1, 32], ['npt', 300, 20000, 32], ['npt', 1200, 1, 32], ['npt', 1200, 20000, 32]]);
    const slabs = tasks.filter((t) => t.kind === 'surface');
    expect(slabs.map((t) => [t.id, t.ensemble, t.start.pbc])).toEqual([
      ['surfaces-fcc111-300K', 'nvt', [true, true, false]], ['surfaces-fcc111-900K', 'nvt', [true, true, false]],
      ['surfaces-fcc100-300K', 'nvt', [true, true, false]], ['surfaces-fcc100-900K', 'nvt', [true, true, false]]]);
    expect(new Set(tasks.map((t) => t.seed)).size).toBe(tasks.length);
    expect(explorationTasks(plan, 0, 1, null).map((t) => t.seed)).toEqual(tasks.map((t) => t.seed));
    expect(() => explorationTasks(readPlan('plans/demo-cu.yaml'), 0, 1, null)).toThrow(/bhmc starts need a trained model/);
  });
});
