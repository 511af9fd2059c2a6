// ESLint flat config: type-aware rules, above all no-floating-promises (an unawaited export
// promise becomes an unhandled rejection inside the host app). Tooling JavaScript (matrix/,
// examples/, test fixtures, bench/) is linted too, typed through tsconfig.tools.json (checkJs): extend both together.
import tseslint from 'typescript-eslint';
import globals from 'globals';

const TOOLING_JS = ['bench/*.mjs', 'bench/lib/*.mjs', 'bench/micro/*.mjs', 'matrix/*.mjs', 'examples/**/*.mjs', 'test/fixtures/**/*.{js,mjs,cjs}'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/node_modules/**', '.matrix-cache/**', 'coverage/**', 'bench/work/**', 'bench/results/**', 'matrix/templates/**', 'scripts/**', 'stack/**', '*.js', '**/*.js', '!test/fixtures/**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.cts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: TOOLING_JS,
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { project: './tsconfig.tools.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // CommonJS fixtures are apps written the way CommonJS apps are.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    rules: {
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
