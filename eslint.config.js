// Lint rules: eslint's and typescript-eslint's recommended sets (no type-aware rules, so `npm test`
// stays quick), with the few choices below where the code base has a reason.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'images/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      // `_name` marks a value left out on purpose (destructuring to drop a field, an unused callback parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // commander's values come through src/cli/commander.ts, the one place that imports them.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/commander.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'commander', message: "import commander's values from src/cli/commander.ts", allowTypeImports: true }] },
      ],
    },
  },
  {
    // Tests read parsed YAML and JSON fixtures field by field.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
