// The launch patient's target groups (patient panel) and the nurse's outreach worklist.
import type { OutreachWorklist } from '../fhir/targetGroupsOutreach';
import type { PatientTargetGroups } from '../fhir/targetGroups';
import { createResourceStore } from './createResourceStore';

export const usePatientTargetGroupsStore = createResourceStore<PatientTargetGroups>();
export const useOutreachStore = createResourceStore<OutreachWorklist>();
