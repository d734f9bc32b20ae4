// The caller's credentials: an API key (sent as "x-api-key") or a bearer token (an API key or a
// JWT, sent as "authorization: Bearer …"), kept in sessionStorage for this tab only. A sign-in link
// such as http://127.0.0.1:7080/#api-key=KEY (printed by tools/run.sh) signs in at once; the fragment
// is never sent to a server and is removed from the address bar straight away.

export type Credentials = { kind: "api-key" | "bearer"; secret: string };

const storageKey = "actorcrm.credentials";

export function loadCredentials(): Credentials | null {
  const fromLink = takeCredentialsFromLink();
  if (fromLink) {
    saveCredentials(fromLink);
    return fromLink;
  }
  const stored = sessionStorage.getItem(storageKey);
  if (!stored) return null;
  try {
    const parsed = JSON.parse(stored) as Credentials;
    return parsed.secret ? parsed : null;
  } catch {
    return null;
  }
}

export function saveCredentials(credentials: Credentials): void {
  sessionStorage.setItem(storageKey, JSON.stringify(credentials));
}

export function forgetCredentials(): void {
  sessionStorage.removeItem(storageKey);
}

export function credentialHeaders(credentials: Credentials): Record<string, string> {
  return credentials.kind === "api-key"
    ? { "x-api-key": credentials.secret }
    : { authorization: `Bearer ${credentials.secret}` };
}

function takeCredentialsFromLink(): Credentials | null {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const apiKey = fragment.get("api-key");
  const token = fragment.get("token");
  if (!apiKey && !token) return null;
  history.replaceState(null, "", location.pathname + location.search);
  return apiKey ? { kind: "api-key", secret: apiKey } : { kind: "bearer", secret: token! };
}
