// What a page handler answers; server.ts writes it out with the right headers.
import { errorPage } from './pages';

export type PageReply =
  | { kind: 'html'; status: number; body: string }
  | { kind: 'redirect'; location: string };

export function htmlReply(body: string, status = 200): PageReply {
  return { kind: 'html', status, body };
}

export function errorReply(title: string, message: string, status = 400): PageReply {
  return { kind: 'html', status, body: errorPage(title, message) };
}
