// Practice settings the manager view needs: the financing model (SPEC §1; default A) and, where the EPJ
// does not record it per patient, the share of the list with digital booking (Table 2). Kept in the
// session only (src/state/managerStore.ts).
import { Select, Field, Label, Textfield } from '@digdir/designsystemet-react';
import type { FinancingModel } from '../../domain/manager/managerFigures';
import { useManagerSettings } from '../../state/managerStore';

export function Settings() {
  const { financingModel, digitalBookingShare, update } = useManagerSettings();
  return (
    <div className="pht-manager-row pht-manager-settings">
      <Field>
        <Label>Finansieringsmodell</Label>
        <Select value={financingModel} onChange={(e) => update({ financingModel: e.target.value === 'B' ? 'B' : ('A' satisfies FinancingModel) })} data-testid="financing-model">
          <Select.Option value="A">A: honorarmodell</Select.Option>
          <Select.Option value="B">B: driftstilskuddsmodell</Select.Option>
        </Select>
      </Field>
      <Textfield
        label="Digital timebestilling (% av listen)"
        type="number"
        min={0}
        max={100}
        value={digitalBookingShare === undefined ? '' : String(Math.round(digitalBookingShare * 100))}
        onChange={(e) => {
          const v = e.target.value === '' ? undefined : Number(e.target.value);
          update({ digitalBookingShare: v === undefined || !Number.isFinite(v) ? undefined : Math.min(100, Math.max(0, v)) / 100 });
        }}
      />
    </div>
  );
}
