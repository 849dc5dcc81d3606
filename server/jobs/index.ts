// The server's scheduled jobs (issue 15 item 4): the platform's own and each slice's (server/features/<job>/jobs.ts),
// wired here so server/main.ts hands one list to the scheduler.
import { claimsWarningJob, type ChargeSource } from './claimsWarning';
import type { JobDefinition } from './types';
import { writeBackJob } from './writeBack';

export interface JobSources {
  /** The contact-copay slice's charges; without it there is no claims warning. */
  charges?: ChargeSource;
}

export function serverJobs(sources: JobSources = {}): JobDefinition[] {
  return [writeBackJob, ...(sources.charges ? [claimsWarningJob(sources.charges)] : [])];
}
