/**
 * The console's shell: hash routes (so the server serves one index.html), the header with the
 * database picker, navigation and theme switch, and the login gate when the server runs with --auth.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, currentUser, loadConfig, setCredentials, type ConsoleConfig } from './api.js';
import { Collections } from './pages/collections.js';
import { CollectionPage } from './pages/collection.js';
import { DataBrowser } from './pages/data.js';
import { SearchPlayground } from './pages/search.js';
import { Projection } from './pages/projection.js';
import { Metrics } from './pages/metrics.js';
import { Access } from './pages/access.js';
import { Login } from './pages/login.js';
import './style.css';

type Theme = 'light' | 'dark';

function initialTheme(): Theme {
  const saved = localStorage.getItem('elanus.console.theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function useHash(): string {
  const [hash, setHash] = useState(location.hash.slice(1) || '/');
  useEffect(() => {
    const on = (): void => setHash(location.hash.slice(1) || '/');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

export function navigate(path: string): void {
  location.hash = path;
}

function App() {
  const hash = useHash();
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [config, setConfig] = useState<ConsoleConfig>({});
  // undefined: not known yet; true: the server wants credentials we do not have (or were refused).
  const [needLogin, setNeedLogin] = useState<boolean | undefined>(undefined);
  const [user, setUser] = useState(currentUser());
  const [dbs, setDbs] = useState<string[]>(['default']);
  const [db, setDb] = useState(sessionStorage.getItem('elanus.console.db') ?? 'default');

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('elanus.console.theme', theme);
  }, [theme]);
  useEffect(() => void loadConfig().then(setConfig), []);
  useEffect(() => {
    call<string[]>('databases/list')
      .then((list) => {
        setNeedLogin(false);
        setDbs(list.length ? list : ['default']);
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 1800) setNeedLogin(true);
        else setNeedLogin(false);
      });
  }, [user]);
  useEffect(() => sessionStorage.setItem('elanus.console.db', db), [db]);

  const logout = (): void => {
    setCredentials(undefined);
    setUser(undefined);
    navigate('/');
  };

  if (needLogin === undefined) return <p class="loading">Connecting…</p>;
  if (needLogin) {
    return (
      <div class="app">
        <Login
          onLogin={(u) => {
            setUser(u);
            setNeedLogin(false);
          }}
        />
      </div>
    );
  }

  const parts = hash.split('/').filter(Boolean).map(decodeURIComponent);
  let page;
  let section = parts[0] ?? '';
  if (parts[0] === 'c' && parts[1] && parts[2]) {
    const props = { db: parts[1], name: parts[2] };
    const sub = parts[3] ?? '';
    section = 'c';
    if (sub === 'data') page = <DataBrowser {...props} />;
    else if (sub === 'search') page = <SearchPlayground {...props} />;
    else if (sub === 'map') page = <Projection {...props} />;
    else page = <CollectionPage {...props} />;
  } else if (parts[0] === 'metrics') page = <Metrics config={config} />;
  else if (parts[0] === 'access') page = <Access />;
  else page = <Collections db={db} />;

  return (
    <div class="app">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="#/">
          Elanus console
        </a>
        <nav aria-label="Main">
          <a href="#/" aria-current={section === '' || section === 'c' ? 'page' : undefined}>
            Collections
          </a>
          <a href="#/metrics" aria-current={section === 'metrics' ? 'page' : undefined}>
            Server
          </a>
          <a href="#/access" aria-current={section === 'access' ? 'page' : undefined}>
            Access
          </a>
        </nav>
        <label class="db">
          Database{' '}
          <select
            value={db}
            onChange={(e) => {
              setDb((e.target as HTMLSelectElement).value);
              navigate('/');
            }}
          >
            {dbs.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="ghost" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
        {user ? (
          <span class="user">
            {user}{' '}
            <button type="button" class="ghost" onClick={logout}>
              Log out
            </button>
          </span>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
      <footer class="foot">Elanus {config.version ?? ''} · talks to the RESTful v2 API only</footer>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
