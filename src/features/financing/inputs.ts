// The ONE interface through which the financing view reads the practice's settings (issue 18): the model
// comes from the manager's settings; the rest is held here in memory with defaults from the rates file.
// [decision] No persistence of our own: the practice settings move to the app server (database issue);
// the merger replaces this hook's store with the server's settings and keeps the hook's shape.
import { create } from 'zustand';
import { defaultFinancingSettings, defaultRates, type FinancingSettings } from '../../domain/financing';
import { useManagerSettings } from '../../state/managerStore';

export type FinancingInputs = Omit<FinancingSettings, 'model'>;

const { model: _ignored, ...defaults } = defaultFinancingSettings(defaultRates);

interface InputsState {
  inputs: FinancingInputs;
  update: (change: Partial<FinancingInputs>) => void;
}

const useStore = create<InputsState>()((set) => ({
  inputs: defaults,
  update: (change) => set((s) => ({ inputs: { ...s.inputs, ...change } })),
}));

export function useFinancingInputs(): { settings: FinancingSettings; update: (change: Partial<FinancingInputs>) => void } {
  const model = useManagerSettings((s) => s.financingModel);
  const { inputs, update } = useStore();
  return { settings: { ...inputs, model }, update };
}
