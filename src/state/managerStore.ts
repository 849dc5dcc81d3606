// The practice manager's stores (SPEC §7): the loaded data (with an explicit status and the load's
// progress) and the state of a "mark as claimed" run. The practice settings are on the app server
// (src/platform/settings.ts, issue 15). The data itself lives in memory only.
import { create } from 'zustand';
import type { ManagerData, ManagerProgress } from '../fhir/manager';

/** The outcome of "Marker som krevd" (one claims batch on the app server). */
export interface MarkClaimedResult {
  /** Charge ids marked now. */
  marked: string[];
  /** Already claimed or cancelled: left as they were. */
  unchanged: string[];
  failed: { id: string; message: string }[];
}
import { createResourceStore } from './createResourceStore';

export const useManagerData = createResourceStore<ManagerData>();

interface ProgressState {
  progress: ManagerProgress | undefined;
  setProgress: (progress: ManagerProgress | undefined) => void;
}

export const useManagerProgress = create<ProgressState>()((set) => ({
  progress: undefined,
  setProgress: (progress) => set({ progress }),
}));

export type ClaimRun =
  | { status: 'idle' }
  | { status: 'running'; done: number; total: number }
  | { status: 'done'; result: MarkClaimedResult }
  | { status: 'error'; message: string };

interface ClaimRunState {
  run: ClaimRun;
  setRun: (run: ClaimRun) => void;
}

export const useClaimRun = create<ClaimRunState>()((set) => ({
  run: { status: 'idle' },
  setRun: (run) => set({ run }),
}));
