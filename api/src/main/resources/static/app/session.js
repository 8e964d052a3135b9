// Who the project page speaks for, kept in localStorage (the product keeps its Supabase session there too):
//   stemcache.guest  {"token": "<guest session JWT>", "expiresAt": "<ISO time>"}: made on the first visit
//   stemcache.user   the signed-in user's access token (a Supabase JWT; here pasted into the sign-in form)
// The user's token wins while it is there; signing out removes it (a new guest session follows).
import { createGuestSession } from '../js/index.js';

export const GUEST_KEY = 'stemcache.guest';
export const USER_KEY = 'stemcache.user';

/** The claims of a JWT, unverified (the API node verifies every token): for showing who is signed in. */
export function claimsOf(token) {
  const parts = String(token).split('.');
  if (parts.length !== 3) throw new Error('not a JWT: a token has three dot-separated parts');
  const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(parts[1].length / 4) * 4, '='));
  return JSON.parse(json);
}

function storedGuest() {
  try {
    const guest = JSON.parse(localStorage.getItem(GUEST_KEY));
    // A minute's margin: a token about to expire would fail mid-page.
    return guest?.token && Date.parse(guest.expiresAt) > Date.now() + 60_000 ? guest : null;
  } catch {
    return null;
  }
}

/** The current session: {kind: 'user', token, userId} or {kind: 'guest', token, expiresAt}; makes a guest one if needed. */
export async function currentSession() {
  const user = localStorage.getItem(USER_KEY);
  if (user) {
    try {
      const claims = claimsOf(user);
      if (!claims.exp || claims.exp * 1000 > Date.now()) return { kind: 'user', token: user, userId: claims.sub };
    } catch {
      // unreadable: dropped below
    }
    localStorage.removeItem(USER_KEY);
  }
  let guest = storedGuest();
  if (!guest) {
    const made = await createGuestSession('');
    guest = { token: made.token, expiresAt: made.expiresAt };
    localStorage.setItem(GUEST_KEY, JSON.stringify(guest));
  }
  return { kind: 'guest', token: guest.token, expiresAt: guest.expiresAt };
}

/** The guest session's token, if there is a live one (what signing in claims). */
export const guestToken = () => storedGuest()?.token ?? null;

/** Keeps the user's token and forgets the guest session, whose entries are the user's now. */
export function signedIn(userToken) {
  localStorage.setItem(USER_KEY, userToken);
  localStorage.removeItem(GUEST_KEY);
}

export const signOut = () => localStorage.removeItem(USER_KEY);
