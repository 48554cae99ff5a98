import { create } from 'zustand';

export const SCREENS = ['connections', 'import', 'export', 'sweep', 'runs'] as const;
export type Screen = (typeof SCREENS)[number];

export const SCREEN_TITLES: Record<Screen, { title: string; subtitle: string; shortcut: string }> =
  {
    connections: {
      title: 'Connections',
      subtitle: 'The SCIM 2.0 servers SCIM Porter can read from and write to.',
      shortcut: '1',
    },
    import: {
      title: 'Import',
      subtitle: 'Bring a CSV into a SCIM server: map columns, preview every change, then run it.',
      shortcut: '2',
    },
    export: {
      title: 'Export',
      subtitle: 'Users and groups to CSV or JSON Lines, at any size.',
      shortcut: '3',
    },
    sweep: {
      title: 'Sweep',
      subtitle: 'Deactivate or delete everyone in a list, or everyone not in it, safely.',
      shortcut: '4',
    },
    runs: {
      title: 'Runs',
      subtitle: 'Every run with its report: resume what was interrupted, undo what was done.',
      shortcut: '5',
    },
  };

type NavState = {
  screen: Screen;
  go: (screen: Screen) => void;
};

/** Which screen is shown (the left navigation, the menu and Ctrl+1…5 change it). */
export const useNavStore = create<NavState>()((set) => ({
  screen: 'connections',
  go: (screen) => {
    set({ screen });
  },
}));
