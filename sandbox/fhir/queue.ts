// Serialising writes in the HTTP layer makes check-then-write sequences (conditional create, If-Match,
// transactions) atomic against each other in this single-process server.
/** One serial lane for every write (FINDINGS: conditional create and If-Match need it; a per-key mutex is not enough). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
