import { useEffect } from 'react';
import { client } from './api/client';
import { Banner } from './components/banner';
import { ErrorNotice } from './components/error-notice';
import { ConnectionsPage } from './features/connections/connections-page';
import { useAppStore } from './features/shell/app-store';

/** The app frame: left navigation, header, app-wide banners, and the current screen. */
export function App() {
  const info = useAppStore((s) => s.info);
  const infoError = useAppStore((s) => s.infoError);
  const notices = useAppStore((s) => s.notices);
  const loadInfo = useAppStore((s) => s.loadInfo);
  const addNotice = useAppStore((s) => s.addNotice);
  const dismissNotice = useAppStore((s) => s.dismissNotice);

  useEffect(() => {
    void loadInfo();
    return client.on('app:notice', addNotice);
  }, [loadInfo, addNotice]);

  const storage = info?.secretStorage;

  return (
    <div className="app">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <nav className="app-nav" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            SP
          </span>
          <span className="brand-name">SCIM Porter</span>
        </div>
        <ul>
          <li>
            <a href="#content" className="nav-link" aria-current="page">
              Connections
            </a>
          </li>
        </ul>
        {info && (
          <p className="nav-footer">
            Version {info.version} · {info.platform}
          </p>
        )}
      </nav>
      <div className="app-body">
        <header className="app-header">
          <h1>Connections</h1>
          <p className="subtitle">The SCIM 2.0 servers SCIM Porter can read from and write to.</p>
        </header>
        <div className="banners">
          {storage && !storage.secure && (
            <Banner tone="danger" title="Secrets are not stored securely">
              {storage.warning ??
                'Secrets are kept in memory only for this session and must be entered again after a restart.'}
            </Banner>
          )}
          {infoError && <ErrorNotice error={infoError} title="Could not read the app status" />}
          {notices.map((n) => (
            <Banner
              key={n.id}
              tone={n.level === 'error' ? 'danger' : n.level === 'warning' ? 'warning' : 'info'}
              onDismiss={() => {
                dismissNotice(n.id);
              }}
            >
              {n.message}
            </Banner>
          ))}
        </div>
        <main id="content" tabIndex={-1} className="app-main">
          <ConnectionsPage />
        </main>
      </div>
    </div>
  );
}
