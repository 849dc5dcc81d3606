// Serialising writes in the HTTP layer makes check-then-write sequences (conditional create, If-Match,
// transactions) atomic against each other in this single-process server. Reads share the lane: they
// run together, never while a write is in progress, so each sees committed data only (issue 12 item 7:
// reads no longer queue behind each other inside the write lane).
/** One serial lane for every write (FINDINGS: conditional create and If-Match need it; a per-key mutex is not enough). */
export class SerialQueue {
  private readers = 0;
  private writing = false;
  /** First come, first served: a waiting write holds back reads that arrive after it (no starvation). */
  private readonly waiting: { write: boolean; start: () => void }[] = [];

  /** Exclusive: no other write and no read runs meanwhile. */
  run<T>(task: () => Promise<T>): Promise<T> {
    return this.enqueue(true, task);
  }

  /** Shared: runs alongside other reads, never alongside a write. */
  read<T>(task: () => Promise<T>): Promise<T> {
    return this.enqueue(false, task);
  }

  private enqueue<T>(write: boolean, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        write,
        start: () => {
          const release = (): void => {
            if (write) this.writing = false;
            else this.readers--;
            this.pump();
          };
          let result: Promise<T>;
          try {
            result = task();
          } catch (err) {
            result = Promise.reject(err as Error);
          }
          result.then(resolve, reject).finally(release);
        },
      });
      this.pump();
    });
  }

  private pump(): void {
    for (let next = this.waiting[0]; next; next = this.waiting[0]) {
      if (this.writing || (next.write && this.readers > 0)) return;
      this.waiting.shift();
      if (next.write) this.writing = true;
      else this.readers++;
      next.start();
      if (next.write) return;
    }
  }
}
