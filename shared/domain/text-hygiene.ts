/**
 * What may go out in an SMS or an e-mail. Tip texts come from outside (a description typed into a
 * hotline form, a 数字城管 case note): control characters in them can cut an SMS short at a gateway,
 * smuggle terminal escape sequences to whoever reads the outbox or a log, or add header lines to a
 * subject; bidi overrides (U+202E …) make a text read differently from what it says. One rule for
 * every outgoing text, so no notification kind can forget it.
 */

/**
 * C0 controls but tab and line feed, DEL, C1 controls, and the invisible direction marks, embeddings,
 * overrides and isolates (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** An ANSI escape sequence (CSI or OSC), removed whole so no printable half of it remains. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point.
const ESCAPE_SEQUENCE = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?)/g;

/**
 * `text` without control characters and bidi controls. `multiline` keeps line feeds (an e-mail
 * body); otherwise (an SMS, a subject) line breaks and tabs become single spaces.
 */
export function safeText(text: string, options: { multiline?: boolean } = {}): string {
  const cleaned = text.replace(ESCAPE_SEQUENCE, '').replace(/\r\n?/g, '\n').replace(UNSAFE, '');
  return options.multiline ? cleaned : cleaned.replace(/[\t\n]+/g, ' ');
}

/** True when `text` holds nothing safeText would remove or change (tests and assertions). */
export function isSafeText(text: string, options: { multiline?: boolean } = {}): boolean {
  return safeText(text, options) === text;
}
