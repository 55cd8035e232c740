/**
 * A real one-node Slurm cluster for the tests (Debian slurm-wlm + munge, as root): munged with its
 * own key and socket, slurmctld and slurmd with a generated slurm.conf, all in a temporary folder
 * on free ports, with the node's real CPUs and memory from `slurmd -C`. `env` points the Slurm
 * commands (sbatch, squeue, …) of a child process at it (SLURM_CONF).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tempDir } from './helpers.ts';

export interface SlurmCluster {
  dir: string;
  conf: string;
  env: Record<string, string>;
  stop(): void;
}

/** Why a cluster cannot be started here (null: it can). */
export function slurmUnavailable(): string | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not root (slurmctld/slurmd/munged of the test run as root)';
  for (const b of ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged', '/usr/bin/sbatch']) if (!existsSync(b)) return `${b} missing (Debian: apt-get install slurm-wlm munge; npm test's set-up installs them as root)`;
  return null;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
  });
}

function pidOf(file: string): number | null {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** Start munged, slurmctld and slurmd; resolves once the node is idle. */
export async function startSlurmCluster(): Promise<SlurmCluster> {
  const dir = tempDir('ns-slurm-');
  chmodSync(dir, 0o755);
  const munge = join(dir, 'munge');
  mkdirSync(munge, { mode: 0o700 });
  const key = join(munge, 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o600 });
  const sock = join(munge, 'socket');
  execFileSync('/usr/sbin/munged', ['--force', `--socket=${sock}`, `--key-file=${key}`, `--log-file=${join(munge, 'log')}`, `--pid-file=${join(munge, 'pid')}`, `--seed-file=${join(munge, 'seed')}`]);
  for (const d of ['state', 'spool', 'log']) mkdirSync(join(dir, d));
  // The node as slurmd sees it: "NodeName=vm CPUs=2 Boards=1 … RealMemory=24105"
  const hw = execFileSync('/usr/sbin/slurmd', ['-C'], { encoding: 'utf8' }).split('\n')[0].trim().split(/\s+/).filter((w) => !w.startsWith('NodeName=') && !w.startsWith('UpTime='));
  const node = `ns${randomBytes(3).toString('hex')}`;
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const host = hostname();
  const conf = join(dir, 'slurm.conf');
  writeFileSync(conf, [
    'ClusterName=nanostudio-test',
    `SlurmctldHost=${host}(127.0.0.1)`,
    `SlurmctldPort=${ctldPort}`,
    `SlurmdPort=${dPort}`,
    'AuthType=auth/munge',
    `AuthInfo=socket=${sock}`,
    'CredType=cred/munge',
    'SlurmUser=root',
    'SlurmdUser=root',
    `StateSaveLocation=${join(dir, 'state')}`,
    `SlurmdSpoolDir=${join(dir, 'spool')}`,
    `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
    `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
    `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`,
    `SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}`,
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'MpiDefault=none',
    'ReturnToService=2',
    // FIFO: a job starts as soon as it is submitted or another one ends (no wait for a backfill cycle).
    'SchedulerType=sched/builtin',
    // Finished jobs stay visible to scontrol for 5 minutes (there is no accounting database).
    'MinJobAge=300',
    'SlurmctldTimeout=30',
    'SlurmdTimeout=30',
    `NodeName=${node} NodeHostname=${host} NodeAddr=127.0.0.1 ${hw.join(' ')} State=UNKNOWN`,
    `PartitionName=test Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
    '',
  ].join('\n'));
  const env = { SLURM_CONF: conf };
  const run = { env: { ...process.env, ...env } };
  const stop = (): void => {
    for (const f of [join(dir, 'slurmd.pid'), join(dir, 'slurmctld.pid'), join(munge, 'pid')]) {
      const pid = pidOf(f);
      if (pid) try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
    }
  };
  try {
    execFileSync('/usr/sbin/slurmctld', ['-f', conf], run);
    execFileSync('/usr/sbin/slurmd', ['-f', conf, '-N', node], run);
    const t0 = Date.now();
    for (;;) {
      const r = spawnSync('sinfo', ['-h', '-N', '-o', '%T'], { ...run, encoding: 'utf8' });
      if (r.status === 0 && /^idle/m.test(r.stdout)) break;
      if (Date.now() - t0 > 30_000) throw new Error(`Slurm node not idle after 30 s (sinfo: ${r.stdout}${r.stderr}); logs in ${join(dir, 'log')}`);
      await new Promise((ok) => setTimeout(ok, 250));
    }
  } catch (e) {
    stop();
    throw e;
  }
  return { dir, conf, env, stop };
}
