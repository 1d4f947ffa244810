/** The signed-in operator as the app sees it, shared by context. */
import { createContext, useContext } from 'react';

export interface Membership {
  orgId: string;
  orgName: string;
  role: string;
}

export interface SessionInfo {
  user: { id: string; email: string };
  organizations: Membership[];
  csrfToken: string;
}

export interface SessionState {
  session: SessionInfo;
  org: Membership;
  isOwner: boolean;
  chooseOrg(orgId: string): void;
  logout(): void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a session');
  return s;
}
