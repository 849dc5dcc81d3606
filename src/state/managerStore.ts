// The practice manager's stores (SPEC §7): the loaded data (with an explicit status and the load's
// progress), the practice settings the view needs, and the state of a "mark as claimed" run.
//
// [decision] Practice settings (financing model A/B, share of the list with digital booking) are kept
// in sessionStorage: they survive a reload in the same tab but are not written to the EPJ, because no
// FHIR resource holds practice configuration yet. Default model A (SPEC §1). The data itself lives in
// memory only.
import { create } from 'zustand';
import type { FinancingModel } from '../domain/manager/managerFigures';
import type { ManagerData, ManagerProgress, MarkClaimedResult } from '../fhir/manager';
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

export interface ManagerSettings {
  financingModel: FinancingModel;
  /** 0-1, or undefined when not set (the indicator then says it is missing). */
  digitalBookingShare?: number;
}

const SETTINGS_KEY = 'pht.manager.settings';

function storage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

export function parseSettings(raw: string | null | undefined): ManagerSettings {
  const fallback: ManagerSettings = { financingModel: 'A' };
  if (!raw) return fallback;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return fallback;
    const model = 'financingModel' in value && value.financingModel === 'B' ? 'B' : 'A';
    const share = 'digitalBookingShare' in value ? value.digitalBookingShare : undefined;
    const okShare = typeof share === 'number' && share >= 0 && share <= 1 ? share : undefined;
    return okShare === undefined ? { financingModel: model } : { financingModel: model, digitalBookingShare: okShare };
  } catch {
    return fallback;
  }
}

interface SettingsState extends ManagerSettings {
  update: (change: Partial<ManagerSettings>) => void;
}

export const useManagerSettings = create<SettingsState>()((set, get) => ({
  ...parseSettings(storage()?.getItem(SETTINGS_KEY)),
  update(change) {
    set(change);
    const { financingModel, digitalBookingShare } = { ...get() };
    storage()?.setItem(SETTINGS_KEY, JSON.stringify({ financingModel, digitalBookingShare }));
  },
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
