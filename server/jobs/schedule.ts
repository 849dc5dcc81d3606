// When a scheduled job is due (issue 15 item 4), as a pure function of the instant: the schedule "slot" the
// instant falls in, or undefined when the job is not due then. The queue stores each slot once per
// job+practice+EPJ (unique index), so a slot runs once however many ticks and processes see it, and a slot
// missed while the server was down runs at the first tick after the start (the nightly scan at 07:00 if the
// server was down at 02:00). Times are Oslo wall-clock times; working days are the practice's (SPEC §2).
import { osloWallClock } from '../../src/domain/calendar';
import type { JobSchedule } from './types';

const pad = (n: number) => String(n).padStart(2, '0');

/** The Oslo calendar date of an instant, 'YYYY-MM-DD'. */
export function osloDay(at: Date): string {
  const w = osloWallClock(at);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

export class ScheduleError extends Error {}

/** Checks a schedule once, at start-up: a bad one stops the server with the job's name. */
export function checkSchedule(name: string, schedule: JobSchedule): void {
  const every = schedule.everyMinutes;
  if (every !== undefined && (!Number.isInteger(every) || every < 1 || every > 1440)) throw new ScheduleError(`${name}: everyMinutes må være et heltall 1-1440`);
  if (schedule.dailyAt !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(schedule.dailyAt)) throw new ScheduleError(`${name}: dailyAt må være HH:MM (fikk «${schedule.dailyAt}»)`);
  if (every === undefined && schedule.dailyAt === undefined) throw new ScheduleError(`${name}: en plan trenger everyMinutes eller dailyAt`);
}

/**
 * The slot `at` falls in: `daily:<Oslo date>` from dailyAt (Oslo time) to the end of that day, or
 * `every<N>:<start of the N-minute window, UTC ISO>` (windows aligned to the epoch: for N dividing 60, on the
 * Oslo clock's quarter hours too). With workingDaysOnly, nothing on a day the calendar says is not a working
 * day. dailyAt wins when both are given.
 */
export function dueSlot(schedule: JobSchedule, at: Date, isWorkingDay: (osloDate: string) => boolean): string | undefined {
  const day = osloDay(at);
  if (schedule.workingDaysOnly && !isWorkingDay(day)) return undefined;
  if (schedule.dailyAt !== undefined) {
    const w = osloWallClock(at);
    return `${pad(w.hour)}:${pad(w.minute)}` >= schedule.dailyAt ? `daily:${day}` : undefined;
  }
  if (schedule.everyMinutes !== undefined) {
    const window = schedule.everyMinutes * 60_000;
    return `every${schedule.everyMinutes}:${new Date(Math.floor(at.getTime() / window) * window).toISOString()}`;
  }
  return undefined;
}
