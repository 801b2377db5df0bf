import tseslint from 'typescript-eslint';

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
    // The domain is pure: no I/O, no adapters, no services.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', '../../adapters/*', '../../services/*', 'fastify', 'pg', '@electric-sql/*'] }],
    },
  },
  {
    // The web blotter runs in the browser and speaks to the server only through the HTTP API.
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/src/domain/*', '**/src/adapters/*', '**/src/services/*', '**/src/app/*', 'fastify', 'pg', '@electric-sql/*'] }],
    },
  },
  {
    files: ['src/config/**/*.ts', 'bench/**/*.ts', 'bench/**/*.mjs', '**/*.test.ts', '**/test-support/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
