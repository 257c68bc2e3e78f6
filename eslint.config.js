// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'demo-output/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/cli/**', 'scripts/**', 'bin/**', 'test/**'], rules: { 'no-console': 'off' } },
  {
    files: ['src/web/assets/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { document: 'readonly', EventSource: 'readonly' } },
  },
);
