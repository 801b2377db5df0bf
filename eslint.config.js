import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The layers (ARCHITECTURE.md), on resolved paths so that no folder depth escapes them. Tests,
 * contracts and test support compose parts as app/ does, so they are outside these rules.
 */
const LAYERS = [
  { target: './src/domain', from: './src', except: ['./domain', './lib'], message: 'domain/ is pure: it imports domain/ and lib/ only.' },
  {
    target: './src/ports',
    from: './src',
    except: ['./ports', './domain', './lib'],
    message: 'ports/ are interfaces over the domain: they import ports/, domain/ and lib/ only.',
  },
  {
    target: './src/services',
    from: './src',
    except: ['./services', './domain', './ports', './lib'],
    message: 'services/ import domain/, ports/ and lib/ only: an adapter reaches a service through app/.',
  },
  {
    target: './src/adapters',
    from: ['./src/services', './src/simulation'],
    message: 'adapters/ never import services/ or simulation/: they implement or call ports/.',
  },
  { target: './src/fix', from: './src', except: ['./fix', './lib'], message: 'fix/ is a FIX engine of its own: it imports nothing of the OMS.' },
  { target: './src/lib', from: './src', except: ['./lib'], message: 'lib/ holds helpers that import nothing of the OMS.' },
  {
    target: ['./src/domain', './src/ports', './src/services', './src/adapters', './src/fix', './src/lib', './src/config', './src/simulation'],
    from: './src/app',
    message: 'Only app/ composes: nothing imports it but main.ts.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'coverage/**', 'src/gen/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'MemberExpression[object.name="process"][property.name="env"]', message: 'Read the environment only in src/config/.' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.contract.ts', '**/test-support/**'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: LAYERS }] },
  },
  {
    // The domain is pure: no I/O, no frameworks (its imports inside the project: LAYERS).
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fastify', 'pg', '@electric-sql/*'] }],
    },
  },
  {
    // The web blotter runs in the browser and speaks to the server only through the HTTP API.
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/src/domain/*', '**/src/adapters/*', '**/src/services/*', '**/src/app/*', 'fastify', 'pg', '@electric-sql/*'] },
      ],
    },
  },
  {
    files: ['src/config/**/*.ts', 'bench/**/*.ts', 'bench/**/*.mjs', '**/*.test.ts', '**/test-support/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
