// The one CSV writer of the app (ARCHITECTURE rule 3): every export (list overview, claims
// reconciliation, evaluation export) builds its rows and writes them here.
//
// Formula safety (OWASP "CSV Injection"): a spreadsheet runs a cell as a formula when it starts with
// = + - @, also after leading spaces, and treats a leading tab or carriage return as a way in too. Such a
// text cell gets a leading apostrophe, which Excel and LibreOffice show as text.
// [decision] Real numbers stay usable: a cell passed as a `number` (e.g. -5, a refund of -120) is written
// as the number and never prefixed; only text is neutralised, so "-5" passed as a string becomes '-5.
//
// Format: semicolon-separated (what Norwegian Excel opens by default), CRLF line ends, a cell quoted when
// it holds the separator, a quote, CR or LF (quotes doubled, RFC 4180), and a UTF-8 BOM so Excel reads æøå.

export type CsvValue = string | number;

const FORMULA_START = /^[\s]*[=+\-@]|^[\t\r]/;

/** One cell, formula-safe and quoted when needed. */
export function csvCell(value: CsvValue, separator = ';'): string {
  const raw = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  const safe = typeof value === 'string' && FORMULA_START.test(raw) ? `'${raw}` : raw;
  const needsQuotes = safe.includes(separator) || /["\r\n]/.test(safe);
  return needsQuotes ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The whole file: a header row, then the rows; BOM first, CRLF after every row. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[], separator = ';'): string {
  const lines = [header, ...rows].map((row) => row.map((cell) => csvCell(cell, separator)).join(separator));
  return `\uFEFF${lines.map((line) => `${line}\r\n`).join('')}`;
}

export interface DownloadDeps {
  document: Document;
  createObjectURL: (blob: Blob) => string;
  revokeObjectURL: (url: string) => void;
  /** When the URL may be revoked: after the click's download has started (the next task). */
  later: (run: () => void) => void;
}

function browserDeps(): DownloadDeps {
  return {
    document,
    createObjectURL: (blob) => URL.createObjectURL(blob),
    revokeObjectURL: (url) => URL.revokeObjectURL(url),
    later: (run) => void setTimeout(run, 0),
  };
}

/**
 * Saves `csv` as a file. The link is attached to the page before the click (Firefox ignores a click on a
 * detached link), removed after it, and the object URL revoked only in a later task: revoking it in the
 * same task can cancel the download before the browser has read the blob.
 */
export function downloadCsv(fileName: string, csv: string, deps: DownloadDeps = browserDeps()): void {
  downloadText(fileName, csv, 'text/csv;charset=utf-8', deps);
}

/** The same download for any text (e.g. a FHIR Bundle as application/fhir+json). */
export function downloadText(fileName: string, text: string, type: string, deps: DownloadDeps = browserDeps()): void {
  const url = deps.createObjectURL(new Blob([text], { type }));
  const a = deps.document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  deps.document.body.append(a);
  a.click();
  a.remove();
  deps.later(() => deps.revokeObjectURL(url));
}
