/**
 * The console's one way to the API: same origin, `Authorization: Bearer` of the session, JSON in
 * and out, and every failure turned into an ApiError whose message a person can read.
 */
import { session, signOut } from '../session.js';
import { type ErrorBody, errorMessage, NETWORK_ERROR_MESSAGE } from './errors.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT';
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  /** The function this request belongs to, named in the message when its endpoint is missing (404). */
  feature?: string;
}

let onSignedOut: () => void = () => {};

/** Called when the API no longer accepts the session (the router goes back to sign-in). */
export function whenSignedOut(callback: () => void): void {
  onSignedOut = callback;
}

export function withQuery(path: string, query: RequestOptions['query'] = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = session.value?.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw new ApiError(0, NETWORK_ERROR_MESSAGE);
  }
  if (response.ok) return response;
  let body: ErrorBody | undefined;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    body = undefined;
  }
  if (response.status === 401) {
    signOut();
    onSignedOut();
  }
  throw new ApiError(
    response.status,
    errorMessage(response.status, body, options.feature),
    body?.error?.code,
  );
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  return (await response.json()) as T;
}

/** Fetches a file (xlsx, csv) with the session's token and hands it to the browser as a download. */
export async function download(path: string, filename: string, options: RequestOptions = {}): Promise<void> {
  const response = await send(path, options);
  const url = URL.createObjectURL(await response.blob());
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A fresh id for an idempotent request (an event sent twice by a double tap is recorded once). */
export const newRequestId = (): string => crypto.randomUUID();
