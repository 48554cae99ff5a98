import { useEffect } from 'react';
import { client } from './api/client';
import { Banner } from './components/banner';
import { ErrorNotice } from './components/error-notice';
import { ConnectionsPage } from './features/connections/connections-page';
import { ExportPage } from './features/export/export-page';
import { ImportPage } from './features/import/import-page';
import { useJobsStore } from './features/jobs/jobs-store';
import { InterruptedRunsBanner } from './features/runs/interrupted-banner';
import { RunsPage } from './features/runs/runs-page';
import { useAppStore } from './features/shell/app-store';
import { HeaderConnection } from './features/shell/header-connection';
import { SCREEN_TITLES, SCREENS, useNavStore, type Screen } from './features/shell/nav-store';
import { SweepPage } from './features/sweep/sweep-page';

const PAGES: Record<Screen, () => React.JSX.Element> = {
  connections: ConnectionsPage,
  import: ImportPage,
  export: ExportPage,
  sweep: SweepPage,
  runs: RunsPage,
};

const MENU_SCREENS: Record<string, Screen> = {
  'go-connections': 'connections',
  'go-import': 'import',
  'go-export': 'export',
  'go-sweep': 'sweep',
  'go-runs': 'runs',
  'open-csv': 'import',
};

/** The app frame: left navigation, header, app-wide banners, and the current screen. */
export function App() {
  const info = useAppStore((s) => s.info);
  const infoError = useAppStore((s) => s.infoError);
  const notices = useAppStore((s) => s.notices);
  const loadInfo = useAppStore((s) => s.loadInfo);
  const addNotice = useAppStore((s) => s.addNotice);
  const dismissNotice = useAppStore((s) => s.dismissNotice);
  const screen = useNavStore((s) => s.screen);
  const go = useNavStore((s) => s.go);
  const listen = useJobsStore((s) => s.listen);

  useEffect(() => {
    void loadInfo();
    const offJobs = listen();
    const offNotice = client.on('app:notice', addNotice);
    const offMenu = client.on('app:menu', ({ command }) => {
      const target = MENU_SCREENS[command];
      if (target) go(target);
    });
    return () => {
      offJobs();
      offNotice();
      offMenu();
    };
  }, [loadInfo, addNotice, listen, go]);

  // Ctrl/Cmd + 1…5 switch screens (the application menu shows the same shortcuts).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const target = SCREENS.find((s) => SCREEN_TITLES[s].shortcut === e.key);
      if (target) {
        e.preventDefault();
        go(target);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [go]);

  const storage = info?.secretStorage;
  const Page = PAGES[screen];
  const heading = SCREEN_TITLES[screen];

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
          {SCREENS.map((s) => (
            <li key={s}>
              <button
                type="button"
                className="nav-link"
                aria-current={s === screen ? 'page' : undefined}
                aria-keyshortcuts={`Control+${SCREEN_TITLES[s].shortcut}`}
                onClick={() => {
                  go(s);
                }}
              >
                {SCREEN_TITLES[s].title}
              </button>
            </li>
          ))}
        </ul>
        {info && (
          <p className="nav-footer">
            Version {info.version} · {info.platform}
          </p>
        )}
      </nav>
      <div className="app-body">
        <header className="app-header">
          <h1>{heading.title}</h1>
          <p className="subtitle">{heading.subtitle}</p>
          <HeaderConnection screen={screen} />
        </header>
        <div className="banners">
          <InterruptedRunsBanner />
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
          <Page />
        </main>
      </div>
    </div>
  );
}
