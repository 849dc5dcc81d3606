// The server's scheduled jobs (issue 15 item 4): the platform's own and each slice's (server/features/<job>/jobs.ts),
// wired here so server/main.ts hands one list to the scheduler.
import { careRecords } from '../features/care/store';
import { chargeRecords } from '../features/contact-copay/store';
import { followUpJobs } from '../features/follow-up/jobs';
import { nightlyScanJobWith, type CareSource } from '../features/target-groups/jobs';
import { claimsWarningJob, type ChargeSource } from './claimsWarning';
import type { JobDefinition } from './types';
import { writeBackJob } from './writeBack';

/** The contact-copay slice's charges of a practice with service day in the period (the claims warning reads them). */
export const contactCopayCharges: ChargeSource = (db, practiceId, period) => chargeRecords(db, practiceId, period.from, period.to);

/** The care slice's records (plans, medication reviews) that the nightly scan adds to the EPJ's facts. */
export const careSource: CareSource = (db, practiceId, patientIds) => careRecords(db, practiceId, patientIds);

export interface JobSources {
  /** The practice's charges for the claims warning (default: the contact-copay slice's store). */
  charges?: ChargeSource;
}

/** Write-back, the discharge sweep, the nightly target-group scan and the 14-day claims warning. */
export function serverJobs(sources: JobSources = {}): JobDefinition[] {
  return [writeBackJob, ...followUpJobs, nightlyScanJobWith(careSource), claimsWarningJob(sources.charges ?? contactCopayCharges)];
}
