/**
 * What the backend panels need from the studio's frame store (contract 1 of the session,
 * src/ui/frames/frame-store.ts): the runs, their frames, the frames the user selected in the
 * decent-frame inspector, and a way to mark frames as sent. The shell passes the store's module.
 */
import type { RunInfo, SavedFrame } from '../../worker/frames.ts';

/** A frame as the frame store keeps it. */
export type StoredFrameLike = SavedFrame & { id: number; selected: boolean; labeledJobId?: number };

export interface FrameSource {
  listRuns(): Promise<RunInfo[]>;
  listFrames(runId: string): Promise<StoredFrameLike[]>;
  selectedFrames(): Promise<StoredFrameLike[]>;
  markSent(ids: number[], info: { datasetId: number; jobId?: number }): Promise<void>;
}
