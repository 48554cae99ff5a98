// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/** Import patterns that reach into the named top-level folders from anywhere in the repo. */
const rooms = (...names) =>
  names.flatMap((n) => [`**/${n}/*`, `**/${n}/**`, `../${n}`, `../../${n}`]);

/** CLI commands and IPC handlers reach the engine's work through engine/use-cases only. */
const USE_CASES_ONLY = {
  group: ['**/apply/apply-run', '**/plan/planner', '**/export/exporter', '**/apply/undo'],
  importNames: ['applyPlan', 'buildPlan', 'exportResources', 'buildUndoPlan'],
  message:
    'Call the use case in engine/use-cases (plan, apply, resume, undo, export) so the CLI and the app run the same steps.',
};

const ENGINE_ARROWS = {
  group: ['electron', 'react', ...rooms('electron', 'cli', 'sandbox', 'renderer')],
  message:
    'The engine is Node only: it imports shared/ and itself, never Electron, the CLI, the sandbox or the renderer.',
};

/** Engine code: files of at most ~400 lines and functions of at most ~80 (comments and blank lines not counted). */
const FILE_SIZE = { max: 400, skipBlankLines: true, skipComments: true };
const FUNCTION_SIZE = { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true };

const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'bench/output/**',
      'resources/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', 'bin/*.mjs', 'test/smoke/*.mjs'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unnecessary-condition': 'off', // defensive checks on wire data are intended
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  // The arrows between rooms (docs/architecture.md): each room names what it may not import.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict([
        {
          group: [
            'electron',
            'node:*',
            'undici',
            'papaparse',
            ...rooms('electron', 'engine', 'cli', 'sandbox'),
          ],
          message: 'The renderer talks to the engine only through the IPC bridge and shared/.',
        },
      ]),
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict([
      {
        group: [
          'electron',
          'node:*',
          'react',
          'zustand',
          'undici',
          'papaparse',
          ...rooms('electron', 'engine', 'cli', 'sandbox', 'renderer'),
        ],
        message:
          'shared/ is pure TypeScript used by both sides: the IPC contract and what the renderer imports.',
      },
    ]),
  },
  {
    files: ['engine/**/*.ts'],
    rules: restrict([ENGINE_ARROWS]),
  },
  {
    files: ['engine/api/**/*.ts'],
    rules: restrict([ENGINE_ARROWS, USE_CASES_ONLY]),
  },
  {
    // The composition root starts the built-in sandbox server for the app; nothing else in the
    // engine may reach it.
    files: ['engine/create-engine.ts'],
    rules: restrict([
      {
        group: ['electron', 'react', ...rooms('electron', 'cli', 'renderer')],
        message:
          'The engine is Node only: it imports shared/ and itself, never Electron, the CLI or the renderer.',
      },
    ]),
  },
  {
    files: ['cli/**/*.ts'],
    rules: restrict([
      {
        group: ['electron', 'react', ...rooms('electron', 'renderer')],
        message:
          'The CLI is plain Node: the engine, the sandbox and shared/, never Electron or the renderer.',
      },
      USE_CASES_ONLY,
    ]),
  },
  {
    files: ['sandbox/**/*.ts'],
    rules: restrict([
      {
        group: ['electron', 'react', ...rooms('electron', 'engine', 'cli', 'renderer')],
        message: 'The sandbox SCIM server is its own room: it imports only shared/ and itself.',
      },
    ]),
  },
  {
    files: ['electron/**/*.ts'],
    rules: restrict([
      {
        group: [...rooms('renderer', 'cli', 'sandbox')],
        message:
          'The shell forwards to the engine; it does not reach the renderer, the CLI or the sandbox.',
      },
    ]),
  },
  {
    files: ['electron/main/policy/**/*.ts'],
    rules: restrict([
      {
        group: ['electron', ...rooms('renderer', 'cli', 'sandbox')],
        message:
          'Shell policies are plain functions the shell calls, kept Electron-free so unit tests import them.',
      },
    ]),
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.mjs', 'bin/**/*.mjs', 'cli/**/*.ts'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['engine/**/*.ts'],
    rules: {
      'max-lines': ['error', FILE_SIZE],
      'max-lines-per-function': ['error', FUNCTION_SIZE],
    },
  },
  prettier,
);
