// ESLint flat config: type-aware rules, above all no-floating-promises (an unawaited export
// promise becomes an unhandled rejection inside the host app).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // JavaScript is linted only where tsconfig.tools.json type-checks it (issue 12): extend both together.
  { ignores: ['dist/**', 'node_modules/**', '.matrix-cache/**', 'coverage/**', 'test/fixtures/**', 'examples/**', 'bench/work/**', '**/*.js', '**/*.cjs', '**/*.mjs', '!bench/*.mjs', '!bench/lib/*.mjs', '!bench/micro/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The JavaScript tools: typed by tsconfig.tools.json (allowJs + checkJs), which the project service would not find.
    files: ['bench/**/*.mjs'],
    languageOptions: { parserOptions: { projectService: false, project: ['./tsconfig.tools.json'], tsconfigRootDir: import.meta.dirname } },
  },
  {
    // node:test's test()/describe() return promises the runner itself tracks; awaiting them is not needed.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
);
