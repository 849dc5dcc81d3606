// The address the patient banner shows (SPEC §8): through src/fhir/privacy.ts, so a protected address
// is never shown («Adressen er skjermet»). The Patient was just read by the launch or by opening the
// patient, so the client answers this read from its recent reads without a request.
import { useEffect, useState } from 'react';
import type { FhirClient } from '../fhir/client';
import { addressForDisplay } from '../fhir/privacy';

export function usePatientAddress(client: FhirClient, patientId: string | undefined): string | undefined {
  const [known, setKnown] = useState<{ patientId: string; address: string | undefined } | undefined>(undefined);
  useEffect(() => {
    if (patientId === undefined) return;
    const controller = new AbortController();
    client
      .read('Patient', patientId, { signal: controller.signal })
      .then((patient) => setKnown({ patientId, address: addressForDisplay(patient) }))
      // [decision] The banner then shows no address; the patient panel's own reads report the error.
      .catch(() => setKnown({ patientId, address: undefined }));
    return () => controller.abort();
  }, [client, patientId]);
  return known !== undefined && known.patientId === patientId ? known.address : undefined;
}
