/** Users, roles and grants (Milvus's RBAC through users/* and roles/*); every change is the signed-in user's own call. */
import { useEffect, useState } from 'preact/hooks';
import { call, currentUser } from '../api.js';
import { ErrorLine, useConfirm } from '../ui.js';

interface Grant {
  objectType: string;
  objectName: string;
  privilege: string;
  dbName: string;
  grantor?: string;
}

export function Access() {
  const [users, setUsers] = useState<{ name: string; roles: string[] }[] | undefined>();
  const [roles, setRoles] = useState<{ name: string; grants: Grant[] }[]>([]);
  const [error, setError] = useState<unknown>();
  const [actionError, setActionError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  const [confirm, dialog] = useConfirm();
  const [nu, setNu] = useState({ user: '', password: '' });
  const [nr, setNr] = useState('');
  const [ur, setUr] = useState({ user: '', role: '' });
  const [gp, setGp] = useState({ role: '', privilege: 'Query', collection: '*', db: 'default' });

  useEffect(() => {
    void (async () => {
      try {
        const names = await call<string[]>('users/list');
        setUsers(await Promise.all(names.map(async (name) => ({ name, roles: await call<string[]>('users/describe', { userName: name }) }))));
        const rs = await call<string[]>('roles/list');
        setRoles(await Promise.all(rs.map(async (name) => ({ name, grants: await call<Grant[]>('roles/describe', { roleName: name }) }))));
        setError(undefined);
      } catch (err) {
        setError(err);
      }
    })();
  }, [tick]);

  const act = async (fn: () => Promise<unknown>): Promise<void> => {
    setActionError(undefined);
    try {
      await fn();
      setTick((t) => t + 1);
    } catch (err) {
      setActionError(err);
    }
  };
  const input = (v: string, set: (s: string) => void, label: string, type: 'text' | 'password' = 'text') => (
    <label>
      {label}{' '}
      {type === 'password' ? (
        <input type="password" value={v} onInput={(e) => set((e.target as HTMLInputElement).value)} required />
      ) : (
        <input type="text" value={v} onInput={(e) => set((e.target as HTMLInputElement).value)} required />
      )}
    </label>
  );

  return (
    <section>
      <h1>Access control</h1>
      <p class="muted">{currentUser() ? `Signed in as ${currentUser()}. ` : 'This server runs without --auth: these settings apply once it is turned on. '}What you may change here is what your roles allow.</p>
      <ErrorLine error={error} />
      <ErrorLine error={actionError} />
      <div class="two">
        <div>
          <h2>Users</h2>
          <table class="grid" aria-label="Users">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Roles</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {(users ?? []).map((u) => (
                <tr key={u.name}>
                  <td>{u.name}</td>
                  <td>
                    {u.roles.map((r) => (
                      <span key={r} class="chip">
                        {r}{' '}
                        <button type="button" class="ghost small" aria-label={`Revoke role ${r} from ${u.name}`} onClick={() => void act(() => call('users/revoke_role', { userName: u.name, roleName: r }))}>
                          ×
                        </button>
                      </span>
                    ))}
                  </td>
                  <td class="end">
                    {u.name !== 'root' ? (
                      <button
                        type="button"
                        class="danger small"
                        aria-label={`Drop user ${u.name}`}
                        onClick={() =>
                          void act(async () => {
                            if (await confirm(`Drop user “${u.name}”?`, 'Drop user')) await call('users/drop', { userName: u.name });
                          })
                        }
                      >
                        Drop
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form
            class="card inline"
            aria-label="Create user"
            onSubmit={(e) => {
              e.preventDefault();
              void act(() => call('users/create', { userName: nu.user, password: nu.password }));
            }}
          >
            {input(nu.user, (s) => setNu({ ...nu, user: s }), 'New user')}
            {input(nu.password, (s) => setNu({ ...nu, password: s }), 'Password', 'password')}
            <button type="submit">Create user</button>
          </form>
          <form
            class="card inline"
            aria-label="Grant role"
            onSubmit={(e) => {
              e.preventDefault();
              void act(() => call('users/grant_role', { userName: ur.user, roleName: ur.role }));
            }}
          >
            {input(ur.user, (s) => setUr({ ...ur, user: s }), 'User')}
            {input(ur.role, (s) => setUr({ ...ur, role: s }), 'Role')}
            <button type="submit">Grant role</button>
          </form>
        </div>
        <div>
          <h2>Roles and grants</h2>
          {roles.map((r) => (
            <div key={r.name} class="card">
              <div class="row">
                <h3>{r.name}</h3>
                {r.name !== 'admin' && r.name !== 'public' ? (
                  <button
                    type="button"
                    class="danger small"
                    aria-label={`Drop role ${r.name}`}
                    onClick={() =>
                      void act(async () => {
                        if (await confirm(`Drop role “${r.name}”?`, 'Drop role')) await call('roles/drop', { roleName: r.name });
                      })
                    }
                  >
                    Drop
                  </button>
                ) : null}
              </div>
              {r.grants.length === 0 ? <p class="muted">No grants.</p> : null}
              <ul class="plain">
                {r.grants.map((g, i) => (
                  <li key={i}>
                    <code>{g.privilege}</code> on {g.objectType} <code>{g.objectName}</code> in {g.dbName}{' '}
                    <button
                      type="button"
                      class="ghost small"
                      aria-label={`Revoke ${g.privilege} on ${g.objectName} from ${r.name}`}
                      onClick={() => void act(() => call('roles/revoke_privilege', { roleName: r.name, objectType: g.objectType, objectName: g.objectName, privilege: g.privilege, dbName: g.dbName }))}
                    >
                      Revoke
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
          <form
            class="card inline"
            aria-label="Create role"
            onSubmit={(e) => {
              e.preventDefault();
              void act(() => call('roles/create', { roleName: nr }));
            }}
          >
            {input(nr, setNr, 'New role')}
            <button type="submit">Create role</button>
          </form>
          <form
            class="card inline"
            aria-label="Grant privilege"
            onSubmit={(e) => {
              e.preventDefault();
              void act(() => call('roles/grant_privilege_v2', { roleName: gp.role, privilege: gp.privilege, collectionName: gp.collection, dbName: gp.db }));
            }}
          >
            {input(gp.role, (s) => setGp({ ...gp, role: s }), 'Role')}
            {input(gp.privilege, (s) => setGp({ ...gp, privilege: s }), 'Privilege')}
            {input(gp.collection, (s) => setGp({ ...gp, collection: s }), 'Collection')}
            {input(gp.db, (s) => setGp({ ...gp, db: s }), 'Database')}
            <button type="submit">Grant privilege</button>
          </form>
        </div>
      </div>
      {dialog}
    </section>
  );
}
