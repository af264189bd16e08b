import type { Role } from '@athenaeum/contracts';

/** Who may call a route. Every route declares one in `config.access`; the app refuses to start otherwise. */
export type Access =
  | { kind: 'public' }
  | { kind: 'signedIn' }
  | { kind: 'session' }
  | { kind: 'platformAdmin' }
  | { kind: 'orgRole'; roles: readonly Role[]; param: string; from?: 'query' };

export const access = {
  /** Anyone, signed in or not. */
  public: (): Access => ({ kind: 'public' }),
  /** Any signed-in person or valid API token. */
  signedIn: (): Access => ({ kind: 'signedIn' }),
  /** A person signed in with a session cookie; API tokens may not (managing the account itself). */
  session: (): Access => ({ kind: 'session' }),
  /** Platform administrators only. */
  platformAdmin: (): Access => ({ kind: 'platformAdmin' }),
  /**
   * Holders of one of `roles` at the organization named by route parameter `param` (or its parent
   * library); with `from` 'query', by the query-string parameter of that name (`?library=<id>`).
   */
  orgRole: (roles: readonly Role[], param = 'id', from: 'params' | 'query' = 'params'): Access =>
    from === 'query' ? { kind: 'orgRole', roles, param, from } : { kind: 'orgRole', roles, param },
};
