/**
 * Cloud sign-in with the Cognito user pool's managed login (hosted UI): authorization code with
 * PKCE, no client secret (a public client). The ID token is what the console sends as its bearer
 * token; its groups name the principal (the API maps them the same way and is the one that decides).
 */
import { principalOfGroups } from './labels.js';
import type { Session } from './session.js';

type CognitoSettings = { domain: string; clientId: string };

const PENDING = 'landline.console.pkce';

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const randomText = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

const redirectUri = () => `${window.location.origin}${import.meta.env.BASE_URL}signin`;

export async function startCognitoSignIn(settings: CognitoSettings, next: string): Promise<void> {
  const verifier = randomText();
  const state = randomText();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, next }));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid profile',
    code_challenge_method: 'S256',
    code_challenge: base64url(digest),
    state,
  });
  window.location.assign(`https://${settings.domain}/oauth2/authorize?${params}`);
}

function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(json, (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/** Exchanges the code the managed login sent back for tokens; returns the session and where to go. */
export async function finishCognitoSignIn(
  settings: CognitoSettings,
  code: string,
  state: string,
): Promise<{ session: Session; next: string }> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as {
    verifier: string;
    state: string;
    next: string;
  } | null;
  sessionStorage.removeItem(PENDING);
  if (!pending || pending.state !== state) throw new Error('登录请求已失效，请重新登录。');
  const response = await fetch(`https://${settings.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: settings.clientId,
      code,
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error('登录失败，请重新登录。');
  const tokens = (await response.json()) as { id_token: string; expires_in: number };
  const claims = claimsOf(tokens.id_token);
  const principal = principalOfGroups(claims['cognito:groups']);
  if (!principal) throw new Error('您的账号尚未分配到唯一的单位用户组，请联系系统管理员。');
  const name = [claims.name, claims['cognito:username']].find((value) => typeof value === 'string');
  return {
    session: {
      token: tokens.id_token,
      principal,
      ...(typeof name === 'string' ? { name } : {}),
      mode: 'cognito',
      expiresAt: Date.now() + tokens.expires_in * 1000,
    },
    next: pending.next,
  };
}

export function cognitoSignOutUrl(settings: CognitoSettings): string {
  const params = new URLSearchParams({ client_id: settings.clientId, logout_uri: redirectUri() });
  return `https://${settings.domain}/logout?${params}`;
}
