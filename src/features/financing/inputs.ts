// The ONE interface through which the financing view reads the practice's settings (issue 18): the model
// comes from the practice settings on the app server (passed in by the manager view); the other inputs are
// held here in memory with defaults from the rates file until they join the server's practice settings.
import { create } from 'zustand';
import { defaultFinancingSettings, defaultRates, type FinancingSettings } from '../../domain/financing';

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

export function useFinancingInputs(model: FinancingSettings['model']): { settings: FinancingSettings; update: (change: Partial<FinancingInputs>) => void } {
  const { inputs, update } = useStore();
  return { settings: { ...inputs, model }, update };
}
