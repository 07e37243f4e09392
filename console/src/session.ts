/**
 * Who is signed in, kept in this tab's sessionStorage (closing the tab signs out): the bearer token
 * the API takes (a development token on a local run, the user pool's ID token in the cloud) and the
 * principal it stands for, which decides what the console offers.
 */
import { computed, ref } from 'vue';
import { parsePrincipalId, principalLabel } from './labels.js';

export interface Session {
  token: string;
  /** `brigade`, `bureau:<area>`, `partner:<dept>`, `leader:<district>`. */
  principal: string;
  /** The person signed in, where known. */
  name?: string;
  mode: 'dev' | 'cognito';
  /** Epoch ms after which the token is no longer accepted (Cognito tokens). */
  expiresAt?: number;
}

const KEY = 'landline.console.session';

function load(): Session | null {
  try {
    const text = sessionStorage.getItem(KEY);
    const stored = text ? (JSON.parse(text) as Session) : null;
    if (stored?.expiresAt && stored.expiresAt < Date.now()) return null;
    return stored;
  } catch {
    return null;
  }
}

export const session = ref<Session | null>(load());

export function signIn(next: Session): void {
  session.value = next;
  sessionStorage.setItem(KEY, JSON.stringify(next));
}

export function signOut(): void {
  session.value = null;
  sessionStorage.removeItem(KEY);
}

export const principal = computed(() => parsePrincipalId(session.value?.principal ?? ''));
export const isBrigade = computed(() => principal.value.kind === 'brigade');
export const isBureau = computed(() => principal.value.kind === 'bureau');
export const isPartner = computed(() => principal.value.kind === 'partner');
export const isLeader = computed(() => principal.value.kind === 'leader');
export const whoAmI = computed(() => {
  const current = session.value;
  if (!current) return '';
  const unit = principalLabel(current.principal);
  return current.name ? `${unit} · ${current.name}` : unit;
});
