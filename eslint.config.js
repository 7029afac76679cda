// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/index/kernels/assembly/**', 'src/expr/grammar/*.generated.js', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      // Type-aware rules: every .ts file belongs to tsconfig.check.json (src, test, bench, examples),
      // the web console's to console/tsconfig.json.
      parserOptions: { project: ['./tsconfig.check.json', './console/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'warn',
      // A promise nobody awaits or catches loses its rejection (an unhandled rejection kills the process).
      // node:test's test/describe/it promises never reject (a failing test is reported by the runner).
      '@typescript-eslint/no-floating-promises': [
        'warn',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      // An async function where a void callback is expected (event handlers, forEach, setTimeout) has
      // nobody to hand its rejection to; conditionals on a Promise are always true.
      '@typescript-eslint/no-misused-promises': 'warn',
      'no-restricted-syntax': [
        'warn',
        {
          selector: "NewExpression[callee.name='Error']",
          message: 'Throw a MilvusError (src/core/errors.ts) instead of a bare Error.',
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
