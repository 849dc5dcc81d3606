import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'fhir-profiles/**', '.sandbox-data/**', 'bench/report*'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The domain is pure: it imports nothing from I/O, state or UI layers (STYLE.md habit 9).
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/fhir/**', '**/state/**', '**/features/**', '**/ui/**', 'react', 'fhir-kit-client', '@medplum/*'] }],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'The domain does no I/O.' }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Pass the date in (asOf/today).' }],
    },
  },
  { rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] } },
);
