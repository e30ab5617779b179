import 'server-only';
import { setFeedGate, startBatchFeeder, stopBatchFeeder } from '../batches/feeder';
import { databaseConfig } from '../db/client';
import { env } from '../env';
import { type LeaderElection, startLeaderElection } from './leader';
import { startMaintenance, stopMaintenance } from './maintenance';

type State = { election?: LeaderElection; started?: boolean };
const globalForHousekeeping = globalThis as unknown as { proofsheetHousekeeping?: State };
// On globalThis: dev reloads this module, and a second election would be a second session.
globalForHousekeeping.proofsheetHousekeeping ??= {};
const state: State = globalForHousekeeping.proofsheetHousekeeping;

/**
 * The work that runs once, not once per process: hourly maintenance (temp files, the Trash's
 * purge, garbage) and the batch feeder. Started by every process that runs the worker (web
 * servers with WORKER_ENABLED=1 and `npm run worker`). On SQLite (one machine) it runs here as
 * before; on PostgreSQL the processes elect a leader (./leader.ts) and only it runs them.
 */
export function startHousekeeping(): void {
  if (state.started || env().WORKER_ENABLED === '0') return;
  state.started = true;
  const config = databaseConfig();
  if (config.kind !== 'postgres') {
    startMaintenance();
    startBatchFeeder();
    return;
  }
  const election = startLeaderElection({
    url: config.url,
    onLead: () => {
      startMaintenance();
      startBatchFeeder();
    },
    onLose: () => Promise.all([stopMaintenance(), stopBatchFeeder()]),
  });
  state.election = election;
  // A kick after a submit, resume or retry feeds here only while this process leads.
  setFeedGate(() => election.isLeader());
}

export async function stopHousekeeping(): Promise<void> {
  const election = state.election;
  state.election = undefined;
  state.started = false;
  setFeedGate(undefined);
  if (election) await election.stop();
  else await Promise.all([stopMaintenance(), stopBatchFeeder()]);
}

export function housekeepingStatus(): { leader: boolean } {
  return { leader: state.election ? state.election.isLeader() : state.started === true };
}
